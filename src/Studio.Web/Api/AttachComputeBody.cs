using Studio.Domain.Workspaces;
using Studio.Infrastructure.Compute;

namespace Studio.Web.Api;

/// <summary>Attach (or pre-flight) a compute target.</summary>
public sealed record AttachComputeBody(
    string? Name,
    string? Cluster,
    string? Namespace,
    string? Description,
    string? DefaultInstanceType,
    string? QuotaCpu,
    string? QuotaMemory,
    int? QuotaGpu,
    bool CreateNamespace = false,
    bool ConfirmSharedNamespace = false,
    PodSecurityLevel? PodSecurity = null)
{
    public AttachComputeRequest ToRequest() =>
        new(Name?.Trim(), Cluster?.Trim(), Namespace?.Trim(), Description, DefaultInstanceType,
            new NamespaceQuota(Blank(QuotaCpu), Blank(QuotaMemory), QuotaGpu), CreateNamespace, ConfirmSharedNamespace, PodSecurity ?? PodSecurityLevel.Restricted);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
