using System.Globalization;
using System.Text.RegularExpressions;

namespace Coordinator.Cli.Commands;

/// <summary>Go-style durations as kubectl takes them: <c>300ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>; a bare number is seconds.</summary>
internal static partial class DurationParser
{
    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();

    [GeneratedRegex(@"^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }
        if (!Whole().IsMatch(text))
            return false;
        foreach (Match m in Part().Matches(text))
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }
        return true;
    }
}
