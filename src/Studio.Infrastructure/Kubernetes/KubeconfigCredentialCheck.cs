using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.KubeConfigModels;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// Checks the inline credential data of one context before anything is stored or contacted: the CA and client
/// certificate are base64 PEM (or DER) certificates, a client certificate comes with its key and they match, and the
/// user carries some credential. Each problem is a field error naming the kubeconfig path.
/// </summary>
internal static class KubeconfigCredentialCheck
{
    public static void Check(Cluster cluster, int clusterIndex, User user, int userIndex, List<Error> errors)
    {
        var clusterPath = $"clusters[{clusterIndex}].cluster";
        var userPath = $"users[{userIndex}].user";
        if (cluster.ClusterEndpoint.CertificateAuthorityData is { Length: > 0 } ca)
        {
            if (Decode(ca) is not { } caBytes)
            {
                errors.Add(Error.Validation($"{clusterPath}.certificate-authority-data", $"Cluster '{cluster.Name}': 'certificate-authority-data' is not base64."));
            }
            else if (!IsCertificate(caBytes))
            {
                errors.Add(Error.Validation($"{clusterPath}.certificate-authority-data", $"Cluster '{cluster.Name}': 'certificate-authority-data' does not hold a PEM or DER certificate."));
            }
        }

        var credentials = user.UserCredentials;
        var certificate = credentials?.ClientCertificateData;
        var key = credentials?.ClientKeyData;
        if (!string.IsNullOrEmpty(certificate) || !string.IsNullOrEmpty(key))
        {
            CheckClientCertificate(user.Name, userPath, certificate, key, errors);
        }

        var hasCredential = credentials is not null
                            && (!string.IsNullOrEmpty(credentials.Token)
                                || !string.IsNullOrEmpty(certificate)
                                || !string.IsNullOrEmpty(credentials.UserName)
                                || credentials.ExternalExecution is not null);
        if (!hasCredential)
        {
            errors.Add(Error.Validation(userPath, $"User '{user.Name}' has no credentials: give it a 'token', 'client-certificate-data' with 'client-key-data', or an allowed exec plugin."));
        }
    }

    private static void CheckClientCertificate(string userName, string userPath, string? certificate, string? key, List<Error> errors)
    {
        if (string.IsNullOrEmpty(certificate) || string.IsNullOrEmpty(key))
        {
            var missing = string.IsNullOrEmpty(key) ? "client-key-data" : "client-certificate-data";
            errors.Add(Error.Validation($"{userPath}.{missing}", $"User '{userName}' has a client {(missing == "client-key-data" ? "certificate without its key" : "key without its certificate")}: add '{missing}'."));
            return;
        }

        var certBytes = Decode(certificate);
        var keyBytes = Decode(key);
        if (certBytes is null || keyBytes is null)
        {
            errors.Add(Error.Validation($"{userPath}.{(certBytes is null ? "client-certificate-data" : "client-key-data")}", $"User '{userName}': '{(certBytes is null ? "client-certificate-data" : "client-key-data")}' is not base64."));
            return;
        }

        try
        {
            using var pair = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(certBytes), Encoding.UTF8.GetString(keyBytes));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            errors.Add(Error.Validation($"{userPath}.client-certificate-data", $"User '{userName}': the client certificate and key are not a matching PEM certificate and private key ({ex.Message.TrimEnd('.')})."));
        }
    }

    private static byte[]? Decode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsCertificate(byte[] data)
    {
        try
        {
            var text = Encoding.UTF8.GetString(data);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPem(text);
                return collection.Count > 0;
            }

            using var der = X509CertificateLoader.LoadCertificate(data);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
