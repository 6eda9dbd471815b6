using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Silo.Configuration;
using Orleans.Connections.Security;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Mutual TLS on the silo's Orleans connections (silo-to-silo and gateway), from certificate files such as a mounted
/// cert-manager Secret. Peers are authenticated by their issuer, not by host name: silos reach each other by pod IP,
/// which no certificate can name in advance, so a peer's certificate must chain to the configured CA and nothing else.
/// </summary>
public static class OrleansTls
{
    private const string Field = $"{CoordinatorOptions.Section}:Orleans:Tls";

    /// <summary>Turns TLS on for <paramref name="silo"/> when <paramref name="options"/> name a certificate; throws naming the field on bad files.</summary>
    public static void Configure(ISiloBuilder silo, OrleansTlsOptions options)
    {
        if (!options.Enabled) return;
        var certificate = LoadCertificate(options);
        var authorities = LoadAuthorities(options);
        silo.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (peer, _, _) => IssuedBy(peer, authorities);
        });
    }

    /// <summary>Whether <paramref name="peer"/> chains to one of <paramref name="authorities"/> (and to no other root).</summary>
    public static bool IssuedBy(X509Certificate2? peer, X509Certificate2Collection authorities)
    {
        if (peer is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // Silo certificates are short-lived and re-issued (cert-manager); there is no CRL to ask.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(peer);
    }

    internal static X509Certificate2 LoadCertificate(OrleansTlsOptions options)
    {
        var certFile = Existing(options.CertFile, "CertFile");
        X509Certificate2 certificate;
        if (IsPkcs12(certFile))
        {
            if (!string.IsNullOrWhiteSpace(options.KeyFile))
                throw new InvalidOperationException($"{Field}:KeyFile: not used with a PKCS#12 {Field}:CertFile (the key is inside it); leave it empty");
            certificate = Load(() => X509CertificateLoader.LoadPkcs12FromFile(certFile, password: null), "CertFile", certFile);
        }
        else
        {
            var keyFile = Existing(options.KeyFile, "KeyFile");
            certificate = Load(() => X509Certificate2.CreateFromPemFile(certFile, keyFile), "CertFile", certFile);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{Field}:CertFile: '{certFile}' holds no private key");
        return certificate;
    }

    internal static X509Certificate2Collection LoadAuthorities(OrleansTlsOptions options)
    {
        var caFile = Existing(options.CaFile, "CaFile");
        var authorities = new X509Certificate2Collection();
        Load(() => { authorities.ImportFromPemFile(caFile); return authorities; }, "CaFile", caFile);
        if (authorities.Count == 0)
            throw new InvalidOperationException($"{Field}:CaFile: '{caFile}' holds no PEM certificate");
        return authorities;
    }

    private static bool IsPkcs12(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    private static string Existing(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new InvalidOperationException($"{Field}:{key} must be set for TLS between silos (with CertFile, KeyFile for a PEM certificate, and CaFile)");
        if (!File.Exists(path))
            throw new InvalidOperationException($"{Field}:{key}: file '{path}' does not exist");
        return path;
    }

    private static T Load<T>(Func<T> load, string key, string path)
    {
        try
        {
            return load();
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            // The message says what is wrong with the file's format; it never contains key material.
            throw new InvalidOperationException($"{Field}:{key}: '{path}' could not be read: {ex.Message}", ex);
        }
    }
}
