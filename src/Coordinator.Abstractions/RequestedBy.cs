namespace Coordinator.Abstractions;

/// <summary>
/// The authenticated user a grain call is made for, carried in Orleans' <c>RequestContext</c> (set by the gRPC
/// layer before it calls grains) so that no grain method needs a user parameter. Absent without authentication.
/// </summary>
public static class RequestedBy
{
    private const string Key = "coordinator.requested-by";

    public static string? Current => RequestContext.Get(Key) as string;

    public static void Set(string user) => RequestContext.Set(Key, user);
}
