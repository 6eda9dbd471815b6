using System.Globalization;

namespace Coordinator.Domain.Planning;

/// <summary>Go's <c>time.ParseDuration</c> grammar: an optional sign, then one or more decimal numbers each followed by a
/// unit (ns, us, µs, ms, s, m, h), e.g. <c>30s</c>, <c>1.5h</c>, <c>1h30m</c>. "0" alone is allowed.</summary>
internal static class GoDuration
{
    private static readonly (string Unit, double Seconds)[] Units =
        [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var rest = text.AsSpan();
        var sign = 1;
        if (rest.Length > 0 && (rest[0] == '-' || rest[0] == '+'))
        {
            sign = rest[0] == '-' ? -1 : 1;
            rest = rest[1..];
        }

        if (rest is "0")
        {
            return true;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        double total = 0;
        while (!rest.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0 || !double.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            rest = rest[numberLength..];
            var unitLength = 0;
            while (unitLength < rest.Length && !char.IsAsciiDigit(rest[unitLength]) && rest[unitLength] != '.')
            {
                unitLength++;
            }

            var unit = rest[..unitLength].ToString();
            var match = Units.FirstOrDefault(u => u.Unit == unit);
            if (match.Unit is null)
            {
                return false;
            }

            total += number * match.Seconds;
            rest = rest[unitLength..];
        }

        duration = TimeSpan.FromSeconds(sign * total);
        return true;
    }

    /// <summary>As Go's <c>Duration.String</c> for whole and fractional seconds: <c>30s</c>, <c>1m30s</c>, <c>1h0m0s</c>, <c>1.5s</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = duration < TimeSpan.Zero ? "-" : "";
        var magnitude = duration == TimeSpan.MinValue ? TimeSpan.MaxValue : duration.Duration();
        var seconds = (magnitude - TimeSpan.FromMinutes(Math.Floor(magnitude.TotalMinutes))).TotalSeconds;
        var text = seconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s";
        if (magnitude >= TimeSpan.FromMinutes(1))
        {
            text = $"{magnitude.Minutes}m{text}";
        }

        if (magnitude >= TimeSpan.FromHours(1))
        {
            text = $"{(long)magnitude.TotalHours}h{text}";
        }

        return sign + text;
    }
}
