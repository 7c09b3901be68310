namespace Studio.Infrastructure.Kubernetes;

/// <summary><c>Studio:Clusters</c>: what a kubeconfig may ask of the studio, and how hard the studio may use a cluster.</summary>
public sealed class ClusterAccessOptions
{
    public const string SectionName = "Studio:Clusters";

    /// <summary>Exec credential plugins an administrator allows (command names, e.g. <c>kubelogin</c>). Empty: exec users are refused.</summary>
    public string[] ExecAllowlist { get; set; } = [];

    /// <summary>Allows plain-http API servers that are not on loopback. <remarks>Defaults to false.</remarks></summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// Accepts kubeconfigs with <c>insecure-skip-tls-verify: true</c>: the studio then sends the cluster's credentials to
    /// whoever answers at the server's address. <remarks>Defaults to false; when set, such clusters carry a warning.</remarks>
    /// </summary>
    public bool AllowInsecureTls { get; set; }

    /// <summary>
    /// Accepts API servers at link-local or cloud metadata addresses (169.254.0.0/16, fe80::/10, metadata.google.internal,
    /// ...), which a hostile kubeconfig uses to make the studio call the host's metadata service. <remarks>Defaults to false.</remarks>
    /// </summary>
    public bool AllowLinkLocal { get; set; }

    /// <summary>Requests per second the studio sends to one cluster (token bucket), so it never floods an API server.</summary>
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Burst above <see cref="RequestsPerSecond"/>.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>Timeout of one API request (watches excepted).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
