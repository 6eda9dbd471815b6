using k8s.Models;

namespace Coordinator.Deploy.Tests.Support;

/// <summary>Which volume of a Deployment's (single) container provides a file path, and under which key.</summary>
public static class PodFiles
{
    /// <summary>
    /// The volume mounted at the longest prefix of <paramref name="path"/> (read-only), and the Secret/ConfigMap key it
    /// shows there: the file name, mapped back through the volume's <c>items</c> when it projects keys to other paths.
    /// </summary>
    public static (V1Volume Volume, string Key) Source(V1Deployment deployment, string path)
    {
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        var mount = container.VolumeMounts
            .Where(m => m.SubPath is { Length: > 0 } ? path == m.MountPath : path.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.MountPath.Length)
            .FirstOrDefault() ?? throw new Xunit.Sdk.XunitException($"nothing is mounted at {path}");
        Assert.True(mount.ReadOnlyProperty, $"{mount.Name} at {mount.MountPath} is not read-only");
        var volume = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        var relative = mount.SubPath is { Length: > 0 } sub ? sub : path[(mount.MountPath.TrimEnd('/').Length + 1)..];
        var items = volume.Secret?.Items ?? volume.ConfigMap?.Items;
        var key = items is { Count: > 0 }
            ? items.SingleOrDefault(i => i.Path == relative)?.Key ?? throw new Xunit.Sdk.XunitException($"volume {volume.Name} projects no key to {relative}")
            : relative;
        return (volume, key);
    }
}
