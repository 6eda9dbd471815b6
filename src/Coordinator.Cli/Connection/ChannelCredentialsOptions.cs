using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;

namespace Coordinator.Cli.Connection;

/// <summary>
/// How rolloutctl proves who it is and checks the coordinator: a bearer token (--token / ROLLOUTCTL_TOKEN), the CA
/// of an https:// server (--ca-file) and a client certificate (--client-cert / --client-key).
/// </summary>
internal sealed record ChannelCredentialsOptions(string? Token, string? CaFile, string? ClientCertFile, string? ClientKeyFile)
{
    public static ChannelCredentialsOptions None { get; } = new(null, null, null, null);

    public void ApplyTo(GrpcChannelOptions options, SocketsHttpHandler handler, string server)
    {
        if ((ClientCertFile is null) != (ClientKeyFile is null))
            throw new UsageException("--client-cert and --client-key go together");
        var https = server.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!https && (CaFile is not null || ClientCertFile is not null))
            throw new UsageException("--ca-file, --client-cert and --client-key need an https:// --server");
        if (CaFile is not null) handler.SslOptions.CertificateChainPolicy = TrustOnly(Load(CaFile, "--ca-file", f => LoadBundle(f)));
        if (ClientCertFile is not null)
            handler.SslOptions.ClientCertificates = [Load(ClientCertFile, "--client-cert", f => LoadClientCertificate(f, ClientKeyFile!))];
        if (Token is null) return;
        var token = Token;
        var bearer = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        });
        options.Credentials = ChannelCredentials.Create(https ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, bearer);
        // A plain-text server is the local default (loopback); the token then goes unencrypted, as the user chose.
        options.UnsafeUseInsecureChannelCallCredentials = !https;
    }

    private static T Load<T>(string file, string flag, Func<string, T> load)
    {
        try
        {
            return load(file);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw new UsageException($"{flag}: cannot read '{file}': {ex.Message}");
        }
    }

    private static X509Certificate2Collection LoadBundle(string file)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(file);
        if (bundle.Count == 0) throw new CryptographicException("no certificate in the file");
        return bundle;
    }

    /// <summary>Re-imported as PKCS#12 so that the TLS stack gets a key it can use on every platform.</summary>
    private static X509Certificate2 LoadClientCertificate(string certFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The server's certificate must chain to the given CA bundle (the host name is still checked by TLS).</summary>
    private static X509ChainPolicy TrustOnly(X509Certificate2Collection authorities)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(authorities);
        return policy;
    }
}
