using Coordinator.Domain.Fleet;
using static Coordinator.Domain.Tests.Fleet.FleetFixtures;

namespace Coordinator.Domain.Tests.Fleet;

public sealed class FleetTemplateTests
{
    [Fact]
    public void A_template_patches_only_containers_the_Deployment_has()
    {
        var patch = IssueSpec.TemplatePatchJson;

        Assert.Equal(["rollouts-demo"], FleetTemplate.ContainerNames(patch));
        Assert.Null(FleetTemplate.CheckContainers(patch, ["istio-proxy", "rollouts-demo"], "test/rollouts-demo"));
        Assert.Equal("spec.template.spec.containers[0].name: Not found: \"rollouts-demo\": the Deployment test/rollouts-demo has the containers web, sidecar",
            FleetTemplate.CheckContainers(patch, ["web", "sidecar"], "test/rollouts-demo")?.ToString());
    }

    [Fact]
    public void A_patch_that_is_not_JSON_names_no_container()
    {
        Assert.Empty(FleetTemplate.ContainerNames("{not json"));
    }
}
