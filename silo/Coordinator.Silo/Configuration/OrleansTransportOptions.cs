namespace Coordinator.Silo.Configuration;

/// <summary>Section <c>Coordinator:Orleans</c>: how silos talk to each other and to Orleans clients.</summary>
public sealed class OrleansTransportOptions
{
    /// <summary>TLS for silo-to-silo and gateway connections; off unless <see cref="OrleansTlsOptions.CertFile"/> is set.</summary>
    public OrleansTlsOptions Tls { get; set; } = new();
}

/// <summary>
/// Section <c>Coordinator:Orleans:Tls</c>: mutual TLS between silos. Every silo presents its certificate and requires one
/// from the other side, issued by <see cref="CaFile"/>; a silo without TLS, or with a certificate of another CA, cannot join.
/// </summary>
public sealed class OrleansTlsOptions
{
    /// <summary>The silo's certificate: PEM (with <see cref="KeyFile"/>, e.g. a cert-manager Secret's <c>tls.crt</c>) or a PKCS#12 file (.pfx/.p12) holding the key too.</summary>
    public string? CertFile { get; set; }

    /// <summary>The PEM private key of <see cref="CertFile"/> (<c>tls.key</c>); not used with a .pfx/.p12 file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>PEM bundle of the CA(s) that issue silo certificates (<c>ca.crt</c>); the only roots a peer's certificate may chain to.</summary>
    public string? CaFile { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertFile) || !string.IsNullOrWhiteSpace(KeyFile) || !string.IsNullOrWhiteSpace(CaFile);
}
