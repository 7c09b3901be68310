namespace Studio.Domain.Workspaces;

/// <summary>
/// The Kubernetes Pod Security Standard a compute target's workloads run under (and its namespace enforces through the
/// <c>pod-security.kubernetes.io/enforce</c> label). Restricted is the default; administrators choose Baseline for a
/// compute target whose images must run as root.
/// </summary>
public enum PodSecurityLevel
{
    /// <summary>
    /// <c>restricted</c>: pods run as a non-root user (uid 1000 unless the image says otherwise), without privilege
    /// escalation or Linux capabilities, with the runtime's default seccomp profile and no service-account token.
    /// </summary>
    Restricted,

    /// <summary><c>baseline</c>: the image's own user (root allowed); still no service-account token and the default seccomp profile.</summary>
    Baseline,
}
