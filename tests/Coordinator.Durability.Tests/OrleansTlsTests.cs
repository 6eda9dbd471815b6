using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
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

    public static TheoryData<string> Endpoints() => new() { "silo", "gateway" };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task The_endpoint_requires_a_client_certificate_of_the_cluster_ca(string endpoint)
    {
        var details = silos.First.Details;
        var port = (endpoint == "silo" ? details.SiloAddress : details.GatewayAddress).Endpoint.Port;
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(silos.Ca.CaFile);

        // With a certificate of the cluster's CA the handshake completes, and the silo proves itself with the same CA.
        using var member = TestCertificates.Load(silos.Ca.Issue("member"));
        await using (var ok = await HandshakeAsync(port, member))
            Assert.True(OrleansTls.IssuedBy(new X509Certificate2(ok.RemoteCertificate!), authorities));

        // Without one, or with one of another CA, the silo drops the connection.
        using var other = new TestCertificates("another-ca");
        using var stranger = TestCertificates.Load(other.Issue("stranger"));
        Assert.True(await RefusedAsync(port, clientCertificate: null), "accepted a client without a certificate");
        Assert.True(await RefusedAsync(port, stranger), "accepted a certificate of another CA");
    }

    /// <summary>
    /// Whether the silo drops the connection: on Linux the server checks the client certificate once the TLS handshake is
    /// done, so the refusal shows as an alert or end of stream on the first read, within the deadline.
    /// </summary>
    private static async Task<bool> RefusedAsync(int port, X509Certificate2? clientCertificate)
    {
        try
        {
            await using var ssl = await HandshakeAsync(port, clientCertificate);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await ssl.ReadAsync(new byte[1], deadline.Token) == 0;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return true;
        }
    }

    /// <summary>A TLS 1.2 handshake (where the server's demand for a client certificate is part of the handshake), accepting any server certificate.</summary>
    private static async Task<SslStream> HandshakeAsync(int port, X509Certificate2? clientCertificate)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "silo",
            EnabledSslProtocols = SslProtocols.Tls12,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);
        return ssl;
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
