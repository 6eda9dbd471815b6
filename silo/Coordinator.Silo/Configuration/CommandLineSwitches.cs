namespace Coordinator.Silo.Configuration;

/// <summary>The silo's short command-line flags, mapped onto configuration keys.</summary>
public static class CommandLineSwitches
{
    public static readonly IDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["--grpc-port"] = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.GrpcPort)}",
        ["--http-port"] = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.HttpPort)}",
        ["--silo-port"] = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.SiloPort)}",
        ["--gateway-port"] = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.GatewayPort)}",
        ["--kubeconfig"] = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.Kubeconfig)}",
        ["--json-logs"] = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.JsonLogs)}",
        ["--demo"] = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.Demo)}",
        ["--demo-pause"] = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.DemoPause)}",
        ["--config"] = $"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.ConfigFile)}",
        ["--token-auth-file"] = $"{CoordinatorOptions.Section}:Auth:TokenFile",
        ["--authz-policy"] = $"{CoordinatorOptions.Section}:Auth:PolicyFile",
    };
}
