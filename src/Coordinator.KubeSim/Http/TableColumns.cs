using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;
using static Coordinator.KubeSim.Store.JsonFields;

namespace Coordinator.KubeSim.Http;

/// <summary>One server-side printing column; <see cref="Wide"/> columns have priority 1 (only shown by -owide).</summary>
internal sealed record TableColumn(string Name, string Type, bool Wide, Func<JsonObject, DateTimeOffset, JsonNode?> Cell, string Format = "");

/// <summary>The columns kubectl shows for each resource (as the real apiserver's printers define them).</summary>
internal static class TableColumns
{
    private static readonly TableColumn NameColumn = new("Name", "string", false, (o, _) => Str(o["metadata"], "name"), "name");
    private static readonly TableColumn AgeColumn = new("Age", "string", false, (o, now) => Age(Str(o["metadata"], "creationTimestamp"), now));

    public static IReadOnlyList<TableColumn> For(ResourceType t, string version)
    {
        if (t.IsDefinedByCrd) return CrdTableColumns.For(t, version, NameColumn);
        if (t == ResourceCatalog.Pods) return Pods;
        if (t == ResourceCatalog.ReplicaSets) return ReplicaSets;
        if (t == ResourceCatalog.Deployments) return Deployments;
        if (t == ResourceCatalog.Services) return Services;
        if (t == ResourceCatalog.VirtualServices) return VirtualServices;
        if (t == ResourceCatalog.DestinationRules) return DestinationRules;
        if (t == ResourceCatalog.Namespaces) return Namespaces;
        if (t == ResourceCatalog.Events) return Events;
        if (t == ResourceCatalog.ConfigMaps) return ConfigMaps;
        return [NameColumn, AgeColumn];
    }

    private static readonly TableColumn[] Pods =
    [
        NameColumn,
        new("Ready", "string", false, (o, _) => PodReady(o)),
        new("Status", "string", false, (o, _) => Str(o["status"], "reason") ?? Str(o["status"], "phase") ?? "Unknown"),
        new("Restarts", "string", false, (o, _) => "0"),
        AgeColumn,
        new("IP", "string", true, (o, _) => Str(o["status"], "podIP") ?? "<none>"),
        new("Node", "string", true, (o, _) => Str(o["spec"], "nodeName") ?? "<none>"),
        new("Nominated Node", "string", true, (o, _) => "<none>"),
        new("Readiness Gates", "string", true, (o, _) => "<none>"),
    ];

    private static readonly TableColumn[] ReplicaSets =
    [
        NameColumn,
        new("Desired", "integer", false, (o, _) => Long(o["spec"], "replicas") ?? 0),
        new("Current", "integer", false, (o, _) => Long(o["status"], "replicas") ?? 0),
        new("Ready", "integer", false, (o, _) => Long(o["status"], "readyReplicas") ?? 0),
        AgeColumn,
        new("Containers", "string", true, (o, _) => Containers(o, "name")),
        new("Images", "string", true, (o, _) => Containers(o, "image")),
        new("Selector", "string", true, (o, _) => SelectorJson.ToSelectorString(Obj(o, "spec", "selector"))),
    ];

    private static readonly TableColumn[] Deployments =
    [
        NameColumn,
        new("Ready", "string", false, (o, _) => $"{Long(o["status"], "readyReplicas") ?? 0}/{Long(o["spec"], "replicas") ?? 0}"),
        new("Up-to-date", "integer", false, (o, _) => Long(o["status"], "updatedReplicas") ?? 0),
        new("Available", "integer", false, (o, _) => Long(o["status"], "availableReplicas") ?? 0),
        AgeColumn,
        new("Containers", "string", true, (o, _) => Containers(o, "name")),
        new("Images", "string", true, (o, _) => Containers(o, "image")),
        new("Selector", "string", true, (o, _) => SelectorJson.ToSelectorString(Obj(o, "spec", "selector"))),
    ];

    private static readonly TableColumn[] Services =
    [
        NameColumn,
        new("Type", "string", false, (o, _) => Str(o["spec"], "type") ?? "ClusterIP"),
        new("Cluster-IP", "string", false, (o, _) => Str(o["spec"], "clusterIP") ?? "<none>"),
        new("External-IP", "string", false, (o, _) => "<none>"),
        new("Port(s)", "string", false, (o, _) => Ports(o)),
        AgeColumn,
        new("Selector", "string", true, (o, _) => MapToSelectorString(Obj(o, "spec", "selector")) is { Length: > 0 } s ? s : "<none>"),
    ];

    private static readonly TableColumn[] VirtualServices =
    [
        NameColumn,
        new("Gateways", "string", false, (o, _) => GoList(Arr(o, "spec", "gateways"))),
        new("Hosts", "string", false, (o, _) => GoList(Arr(o, "spec", "hosts"))),
        AgeColumn,
    ];

    private static readonly TableColumn[] DestinationRules =
    [
        NameColumn,
        new("Host", "string", false, (o, _) => Str(o["spec"], "host") ?? ""),
        AgeColumn,
    ];

    private static readonly TableColumn[] ConfigMaps =
    [
        NameColumn,
        new("Data", "integer", false, (o, _) => (o["data"] as JsonObject)?.Count ?? 0),
        AgeColumn,
    ];

    private static readonly TableColumn[] Namespaces =
    [
        NameColumn,
        new("Status", "string", false, (o, _) => Str(o["status"], "phase") ?? "Active"),
        AgeColumn,
    ];

    private static readonly TableColumn[] Events =
    [
        new("Last Seen", "string", false, (o, now) => Age(Str(o, "lastTimestamp") ?? Str(o["metadata"], "creationTimestamp"), now)),
        new("Type", "string", false, (o, _) => Str(o, "type") ?? ""),
        new("Reason", "string", false, (o, _) => Str(o, "reason") ?? ""),
        new("Object", "string", false, (o, _) => $"{Str(o["involvedObject"], "kind")?.ToLowerInvariant()}/{Str(o["involvedObject"], "name")}"),
        new("Message", "string", false, (o, _) => Str(o, "message") ?? ""),
    ];

    private static string PodReady(JsonObject pod)
    {
        var total = Arr(pod, "spec", "containers")?.Count ?? 0;
        var ready = Arr(pod, "status", "containerStatuses")?.Count(c => c?["ready"] is JsonValue v && v.TryGetValue<bool>(out var b) && b) ?? 0;
        return $"{ready}/{total}";
    }

    private static string Containers(JsonObject o, string field) =>
        string.Join(",", Arr(o, "spec", "template", "spec", "containers")?.Select(c => Str(c, field) ?? "") ?? []);

    private static string Ports(JsonObject svc)
    {
        var ports = Arr(svc, "spec", "ports");
        if (ports == null || ports.Count == 0) return "<none>";
        return string.Join(",", ports.Select(p =>
        {
            var nodePort = Long(p, "nodePort");
            return nodePort is > 0 ? $"{Long(p, "port")}:{nodePort}/{Str(p, "protocol") ?? "TCP"}" : $"{Long(p, "port")}/{Str(p, "protocol") ?? "TCP"}";
        }));
    }

    /// <summary>kubectl prints a CRD array column with Go's %v: "[a b]".</summary>
    private static string GoList(JsonArray? items) => "[" + string.Join(" ", items?.Select(i => i?.ToString() ?? "") ?? []) + "]";

    private static string Age(string? timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? HumanDuration.Format(now - t)
            : "<unknown>";
}
