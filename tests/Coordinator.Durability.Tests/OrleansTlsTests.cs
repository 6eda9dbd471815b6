using Coordinator.Durability.Tests.Infrastructure;
using Coordinator.Silo.Configuration;
using Coordinator.Silo.Hosting;
using Orleans.Runtime;

namespace Coordinator.Durability.Tests;

/// <summary>
/// Silo-to-silo TLS (<c>Coordinator:Orleans:Tls</c>): silos with certificates of the cluster's CA form one cluster over
/// Azurite membership and call each other; a silo without TLS, or with a certificate of another CA, is refused.
/// </summary>
public sealed class OrleansTlsTests(TlsSilos silos) : IClassFixture<TlsSilos>
{
    /// <summary>How long a refused silo keeps trying to join before it gives up (Orleans' default is 5 minutes).</summary>
    private static readonly TimeSpan JoinAttempt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Silos_with_certificates_of_the_cluster_ca_form_a_cluster_and_serve_grain_calls_to_each_other()
    {
        var fromFirst = silos.First.Grains.GetGrain<IManagementGrain>(0);
        Assert.Equal(2, (await fromFirst.GetHosts(onlyActive: true)).Count);
        // A call the first silo can only answer by asking the second over their TLS connection.
        var statistics = await fromFirst.GetRuntimeStatistics([silos.Second.Address]);
        Assert.Single(statistics);
        Assert.Equal(2, (await silos.Second.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count);
    }

    [Fact]
    public Task A_silo_without_tls_cannot_join() => AssertRefusedAsync(new OrleansTlsOptions());

    [Fact]
    public async Task A_silo_with_a_certificate_of_another_ca_cannot_join()
    {
        using var other = new TestCertificates("another-ca");
        await AssertRefusedAsync(other.Issue("intruder"));
    }

    [Fact]
    public void Missing_certificate_files_fail_naming_the_setting()
    {
        var noCa = silos.Ca.Issue("silo-x");
        noCa.CaFile = null;
        var error = Assert.Throws<InvalidOperationException>(() => OrleansTls.LoadAuthorities(noCa));
        Assert.Contains("Coordinator:Orleans:Tls:CaFile must be set", error.Message);

        var missingKey = silos.Ca.Issue("silo-y");
        missingKey.KeyFile = "/nonexistent/tls.key";
        error = Assert.Throws<InvalidOperationException>(() => OrleansTls.LoadCertificate(missingKey));
        Assert.Contains("Coordinator:Orleans:Tls:KeyFile: file '/nonexistent/tls.key' does not exist", error.Message);
    }

    /// <summary>
    /// The silo never becomes a member: its start fails once it gave up reaching the active silos, or the cluster declares
    /// it dead first; either within a bounded time. The two TLS silos stay the only active ones.
    /// </summary>
    private async Task AssertRefusedAsync(OrleansTlsOptions tls)
    {
        await using var refused = silos.Start(tls, JoinAttempt);
        var outcome = await Task.WhenAny(refused.Started, refused.Fatal).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(outcome == refused.Started && refused.Started.IsCompletedSuccessfully, "the silo joined the cluster");

        var active = await silos.First.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(new[] { silos.First.Address, silos.Second.Address }.Order(), active.Keys.Order());
    }
}
