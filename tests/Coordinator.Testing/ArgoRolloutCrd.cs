namespace Coordinator.Testing;

/// <summary>
/// Argo Rollouts' Rollout CRD (<c>rollouts.argoproj.io</c>, trimmed copy in Crds/) and an argoproj Rollout object, as
/// the files a user would <c>kubectl apply</c>: the state of the clusters most of our users come from.
/// </summary>
public static class ArgoRolloutCrd
{
    public const string Group = "argoproj.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    public static string CrdFile => Path.Combine(AppContext.BaseDirectory, "Crds", "argo-rollouts-crd.yaml");

    public static string RolloutFile => Path.Combine(AppContext.BaseDirectory, "Crds", "rollout.yaml");
}
