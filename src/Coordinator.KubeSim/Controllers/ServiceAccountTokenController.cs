using System.Text;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>
/// kube-controller-manager's token controller: a Secret of type kubernetes.io/service-account-token naming an existing
/// ServiceAccount (annotation kubernetes.io/service-account.name) gets data.token, data.ca.crt and data.namespace.
/// </summary>
internal sealed class ServiceAccountTokenController(ObjectStore store, Func<string, string, string> mintToken)
{
    public const string TokenType = "kubernetes.io/service-account-token";
    public const string NameAnnotation = "kubernetes.io/service-account.name";

    public static bool NeedsToken(JsonObject secret) =>
        JsonFields.Str(secret, "type") == TokenType && JsonFields.Str(JsonFields.Obj(secret, "data"), "token") == null;

    public void Reconcile(string ns, string name)
    {
        var secret = store.Get(ResourceCatalog.Secrets, ns, name);
        if (secret == null) return;
        var parsed = JsonFields.ParseObject(secret.Json);
        if (!NeedsToken(parsed)) return;
        var account = JsonFields.Str(JsonFields.Obj(parsed, "metadata", "annotations"), NameAnnotation);
        var sa = account == null ? null : store.Get(ResourceCatalog.ServiceAccounts, ns, account);
        if (sa == null) return; // picked up again when the ServiceAccount is created
        var token = mintToken(ns, account!);
        store.Mutate(ResourceCatalog.Secrets, ns, name, o =>
        {
            if (!NeedsToken(o)) return false;
            var data = o["data"] as JsonObject ?? new JsonObject();
            data["ca.crt"] = Base64("KubeSim serves plain HTTP: no CA\n");
            data["namespace"] = Base64(ns);
            data["token"] = Base64(token);
            o["data"] = data;
            DeploymentController.SetAnnotation(o, "kubernetes.io/service-account.uid", sa.Uid);
            return true;
        });
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
