using System.Security.Cryptography.X509Certificates;
using Coordinator.Grpc.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;

namespace Coordinator.Silo.Security;

/// <summary>Client certificates (mTLS) chained to <c>Coordinator:Tls:ClientCaFile</c>: CN = user, every O = a group, as Kubernetes does.</summary>
internal static class ClientCertificateSetup
{
    public const string Scheme = "ClientCertificate";

    private const string OrganizationOid = "2.5.4.10";

    public static void Add(AuthenticationBuilder auth, string clientCaFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(clientCaFile);
        if (authorities.Count == 0) throw new StartupRefusedException($"Coordinator:Tls:ClientCaFile: no certificate in '{clientCaFile}'");
        auth.AddCertificate(Scheme, o =>
        {
            o.AllowedCertificateTypes = CertificateTypes.Chained;
            o.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
            o.CustomTrustStore = authorities;
            o.RevocationMode = X509RevocationMode.NoCheck;
            o.ValidateCertificateUse = true;
            o.ValidateValidityPeriod = true;
            o.Events = new CertificateAuthenticationEvents
            {
                OnCertificateValidated = ctx =>
                {
                    var certificate = ctx.ClientCertificate;
                    var user = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
                    if (string.IsNullOrEmpty(user))
                    {
                        ctx.Fail("the client certificate has no common name");
                        return Task.CompletedTask;
                    }
                    ctx.Principal = Caller.Principal(Scheme, user, Organizations(certificate));
                    ctx.Success();
                    return Task.CompletedTask;
                },
            };
        });
    }

    private static IEnumerable<string> Organizations(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => !rdn.HasMultipleElements && rdn.GetSingleElementType().Value == OrganizationOid)
            .Select(rdn => rdn.GetSingleElementValue())
            .OfType<string>();
}
