namespace Coordinator.Benchmarks;

/// <summary>The strategic merge patch <c>kubectl set image deployment rollouts-demo rollouts-demo=&lt;image&gt;</c> sends.</summary>
internal static class SetImagePatch
{
    public static string For(string image) =>
        "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"rollouts-demo\"}],\"containers\":[{\"image\":\"" + image + "\",\"name\":\"rollouts-demo\"}]}}}}";
}
