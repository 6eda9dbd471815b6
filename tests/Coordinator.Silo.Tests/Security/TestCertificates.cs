using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coordinator.Silo.Tests.Security;

/// <summary>A throw-away CA, a server certificate for 127.0.0.1 and client certificates, as PEM files in a temp folder.</summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _ca;

    public TestCertificates(string commonName = "Coordinator Test CA")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("coordinator-tls-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        CaFile = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());

        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        (ServerCertFile, ServerKeyFile) = Issue("server", new X500DistinguishedName("CN=127.0.0.1"), ServerAuth, san.Build());
    }

    public string Directory { get; }

    public string CaFile { get; }

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    /// <summary>A client certificate: CN = user, one O per group (as Kubernetes reads them).</summary>
    public (string CertFile, string KeyFile) Client(string user, params string[] groups)
    {
        var name = new X500DistinguishedNameBuilder();
        foreach (var group in groups) name.AddOrganizationName(group);
        name.AddCommonName(user);
        return Issue($"client-{user}", name.Build(), ClientAuth, null);
    }

    /// <summary>The client certificate loaded for an HttpClient handler.</summary>
    public static X509Certificate2 Load((string CertFile, string KeyFile) files)
    {
        using var pem = X509Certificate2.CreateFromPemFile(files.CertFile, files.KeyFile);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private (string CertFile, string KeyFile) Issue(string file, X500DistinguishedName subject, Oid usage, X509Extension? san)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        if (san is not null) request.CertificateExtensions.Add(san);
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-30), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(12));
        var (certFile, keyFile) = (Path.Combine(Directory, $"{file}.pem"), Path.Combine(Directory, $"{file}-key.pem"));
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile);
    }

    public void Dispose()
    {
        _ca.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
