using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Auth;

/// <summary>
/// One cluster's authentication (bearer tokens) and, once enabled, RBAC authorization and the
/// OwnerReferencesPermissionEnforcement admission plugin. The kubeconfig token "kubesim" is system:masters;
/// ServiceAccount tokens are minted by the cluster (token Secrets, TokenRequest, or a library/admin call).
/// </summary>
internal sealed class ClusterAuth(ObjectStore store)
{
    public const string AdminToken = "kubesim";
    private static readonly UserInfo Admin = new("kubesim", [UserInfo.Masters, UserInfo.Authenticated]);

    private readonly ConcurrentDictionary<string, (string Namespace, string Name, string Uid)> _serviceAccountTokens = new(StringComparer.Ordinal);
    private readonly RbacAuthorizer _authorizer = new(store);
    private volatile bool _enabled;

    public bool Enabled => _enabled;

    public void Enable()
    {
        BootstrapPolicy.Create(store);
        _enabled = true;
    }

    /// <summary>A new token for an existing ServiceAccount (valid as long as that ServiceAccount exists).</summary>
    public string MintServiceAccountToken(string ns, string name)
    {
        var sa = store.Get(ResourceCatalog.ServiceAccounts, ns, name) ?? throw KubeApiException.NotFound(ResourceCatalog.ServiceAccounts, name);
        var token = "kubesim-sa." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');
        _serviceAccountTokens[token] = (ns, name, sa.Uid);
        return token;
    }

    /// <summary>
    /// The user behind an Authorization header; 401 for a token nobody issued. A request without one is treated as the old
    /// insecure port treated it (cluster-admin), not as system:anonymous: kubectl never sends a token over plain HTTP
    /// (kubernetes/kubectl#744), and KubeSim serves plain HTTP, so kubectl could do nothing at all otherwise.
    /// </summary>
    public UserInfo Authenticate(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization)) return Admin;
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) throw Forbidden.Unauthorized();
        var token = authorization["Bearer ".Length..].Trim();
        if (token == AdminToken) return Admin;
        if (_serviceAccountTokens.TryGetValue(token, out var sa) && store.Get(ResourceCatalog.ServiceAccounts, sa.Namespace, sa.Name)?.Uid == sa.Uid)
            return UserInfo.ServiceAccount(sa.Namespace, sa.Name);
        throw Forbidden.Unauthorized();
    }

    public bool Authorize(RequestAttributes a) => _authorizer.Authorize(a);

    /// <summary>
    /// OwnerReferencesPermissionEnforcement (plugin/pkg/admission/gc): changing ownerReferences of an existing object needs
    /// delete on it; a new blockOwnerDeletion: true needs update on the owner's finalizers subresource.
    /// </summary>
    public WriteCheck OwnerReferencesCheck(UserInfo user, ResourceType t, string ns) => (old, updated) =>
    {
        var name = JsonFields.Str(updated["metadata"], "name") ?? "";
        var refs = JsonFields.Metadata(updated)["ownerReferences"] as JsonArray;
        var oldRefs = old == null ? null : JsonFields.Metadata(old)["ownerReferences"] as JsonArray;
        if (old == null ? refs is not { Count: > 0 } : JsonNode.DeepEquals(refs, oldRefs)) return;
        if (old != null && !Authorize(RequestAttributes.ForResource(user, "delete", t.Group, t.Plural, "", ns, name)))
            throw Forbidden.Admission(t.Group, t.Plural, name, "cannot set an ownerRef on a resource you can't delete: , <nil>");
        var newlyBlocking = (refs ?? []).OfType<JsonObject>().Where(r => Blocks(r) && !(oldRefs ?? []).OfType<JsonObject>()
            .Any(o => Blocks(o) && JsonFields.Str(o, "uid") == JsonFields.Str(r, "uid"))).ToList();
        if (newlyBlocking.Count == 0) return;
        if (Authorize(RequestAttributes.ForResource(user, "update", "*", "*", "finalizers", "*", "*"))) return;
        foreach (var r in newlyBlocking)
        {
            var apiVersion = JsonFields.Str(r, "apiVersion") ?? "";
            var kind = JsonFields.Str(r, "kind") ?? "";
            var owner = store.Catalog.FindByKind(apiVersion, kind) ?? throw Forbidden.Admission(t.Group, t.Plural, name,
                $"cannot set blockOwnerDeletion in this case because cannot find RESTMapping for APIVersion {apiVersion} Kind {kind}: no matches for kind \"{kind}\" in version \"{apiVersion}\"");
            if (!Authorize(RequestAttributes.ForResource(user, "update", owner.Group, owner.Plural, "finalizers", ns, JsonFields.Str(r, "name") ?? "")))
                throw Forbidden.Admission(t.Group, t.Plural, name, "cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: , <nil>");
        }
    };

    private static bool Blocks(JsonObject reference) =>
        reference["blockOwnerDeletion"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
