using Google.Protobuf;

namespace Coordinator.Cli.Rendering.Fleet;

/// <summary>
/// <c>-o json</c>: the message in protobuf's canonical JSON (field names in lowerCamelCase, times in RFC 3339), every
/// field written even when zero, so a script sees <c>weight: 0</c> rather than a missing key.
/// </summary>
public static class FleetJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    public static string Render(IMessage message) => Formatter.Format(message) + "\n";
}
