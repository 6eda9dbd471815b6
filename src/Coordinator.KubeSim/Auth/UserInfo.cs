namespace Coordinator.KubeSim.Auth;

/// <summary>Who sent a request, as an authenticator reports it (user name and groups).</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string Authenticated = "system:authenticated";
    public const string Masters = "system:masters";

    /// <summary>system:serviceaccount:NS:NAME with the groups the apiserver gives every ServiceAccount.</summary>
    public static UserInfo ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", Authenticated]);
}

/// <summary>What the authorizer decides on (k8s.io/apiserver authorizer.Attributes).</summary>
internal sealed record RequestAttributes(
    UserInfo User, string Verb, bool IsResourceRequest, string ApiGroup, string Resource, string Subresource, string Namespace, string Name, string Path)
{
    public static RequestAttributes ForResource(UserInfo user, string verb, string group, string resource, string subresource, string ns, string name) =>
        new(user, verb, true, group, resource, subresource, ns, name, "");

    public static RequestAttributes ForPath(UserInfo user, string verb, string path) => new(user, verb, false, "", "", "", "", "", path);
}
