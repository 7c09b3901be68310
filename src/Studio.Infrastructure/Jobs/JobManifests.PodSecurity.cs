using k8s.Models;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Jobs;

/// <summary>The Pod Security Standard of a job's pods (every pod of every job: single, distributed workers, MPI launchers).</summary>
public static partial class JobManifests
{
    /// <summary>The user (and group) restricted pods run as when the image says nothing: any non-root id satisfies the standard.</summary>
    public const long RestrictedUserId = 1000;

    /// <summary>
    /// Makes <paramref name="pod"/> meet <paramref name="level"/>. Both levels: no service-account token is mounted and
    /// the runtime's default seccomp profile applies. Restricted adds a non-root user (uid/gid
    /// <see cref="RestrictedUserId"/>, so images whose default user is root still start), no privilege escalation and
    /// every Linux capability dropped, in each container.
    /// </summary>
    public static void ApplyPodSecurity(V1PodSpec pod, PodSecurityLevel level)
    {
        pod.AutomountServiceAccountToken = false;
        pod.SecurityContext = new V1PodSecurityContext { SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } };
        if (level != PodSecurityLevel.Restricted)
        {
            return;
        }

        pod.SecurityContext.RunAsNonRoot = true;
        pod.SecurityContext.RunAsUser = RestrictedUserId;
        pod.SecurityContext.RunAsGroup = RestrictedUserId;
        foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
        {
            container.SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            };
        }
    }
}
