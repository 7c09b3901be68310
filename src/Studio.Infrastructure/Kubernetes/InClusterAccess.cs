using System.Net;
using System.Security.Cryptography.X509Certificates;
using k8s;
using Microsoft.Extensions.Options;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// How the studio reaches the cluster it runs in: KubernetesClient's in-cluster configuration (the pod's service account
/// token, re-read when rotated, the cluster CA, <c>https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT</c>) with the
/// paths and address configurable (<see cref="InClusterOptions"/>).
/// </summary>
public sealed class InClusterAccess(IOptions<InClusterOptions> options)
{
    private readonly Lazy<ServiceAccountToken> _token = new(() => new ServiceAccountToken(System.IO.Path.Combine(options.Value.ServiceAccountPath, "token")));

    public InClusterOptions Options => options.Value;

    private string? Host => string.IsNullOrWhiteSpace(Options.Host) ? Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") : Options.Host;

    private string? Port => Options.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");

    private string TokenPath => System.IO.Path.Combine(Options.ServiceAccountPath, "token");

    private string CaPath => System.IO.Path.Combine(Options.ServiceAccountPath, "ca.crt");

    /// <summary>Why this process cannot reach its own cluster (not in a pod, token not mounted), or null when it can.</summary>
    public string? Problem =>
        string.IsNullOrWhiteSpace(Host) || string.IsNullOrWhiteSpace(Port)
            ? "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: the studio does not run in a Kubernetes pod."
            : !File.Exists(TokenPath)
                ? $"No service account token at '{TokenPath}': set automountServiceAccountToken on the studio's pods."
                : !File.Exists(CaPath)
                    ? $"No cluster CA at '{CaPath}'."
                    : null;

    /// <summary>The API server address, e.g. <c>https://10.0.0.1:443</c> (IPv6 hosts in brackets).</summary>
    public string Server
    {
        get
        {
            var host = Host ?? throw new InvalidOperationException(Problem);
            if (IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                host = $"[{host}]";
            }

            return $"https://{host}:{Port}";
        }
    }

    /// <summary>The namespace the studio's pod runs in (from the mounted <c>namespace</c> file), or null.</summary>
    public string? Namespace
    {
        get
        {
            var path = System.IO.Path.Combine(Options.ServiceAccountPath, "namespace");
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
    }

    /// <summary>A client configuration with the mounted token (re-read when rotated) and CA; throws when <see cref="Problem"/> is set.</summary>
    public KubernetesClientConfiguration CreateConfiguration()
    {
        if (Problem is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(CaPath);
        return new KubernetesClientConfiguration
        {
            Host = Server,
            TokenProvider = _token.Value,
            SslCaCerts = authorities,
            Namespace = Namespace,
        };
    }
}
