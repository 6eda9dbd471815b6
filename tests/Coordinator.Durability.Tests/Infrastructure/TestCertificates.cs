using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Silo.Configuration;

namespace Coordinator.Durability.Tests.Infrastructure;

/// <summary>A throw-away CA and silo certificates it issues, written as PEM files (as a cert-manager Secret mounts them).</summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orleans-tls-").FullName;
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name)
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaFile = Path.Combine(_dir, "ca.crt");
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());
    }

    public string CaFile { get; }

    /// <summary>A silo certificate (server and client authentication, for 127.0.0.1) issued by this CA, and the CA trusted for peers.</summary>
    public OrleansTlsOptions Issue(string silo)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={silo}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)); // serverAuth, clientAuth
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1), serial);
        var certFile = Path.Combine(_dir, $"{silo}.crt");
        var keyFile = Path.Combine(_dir, $"{silo}.key");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return new OrleansTlsOptions { CertFile = certFile, KeyFile = keyFile, CaFile = CaFile };
    }

    /// <summary>The certificate and key of <paramref name="tls"/>, loaded for a TLS client.</summary>
    public static X509Certificate2 Load(OrleansTlsOptions tls) => X509Certificate2.CreateFromPemFile(tls.CertFile!, tls.KeyFile);

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
