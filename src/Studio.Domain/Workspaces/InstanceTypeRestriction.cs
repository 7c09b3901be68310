using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

/// <summary>
/// The instance types a compute target's workloads may use (Azure ML's compute <c>instanceTypes</c>): empty allows all
/// of the cluster's. The one rule that submission, pre-flight, the instance-type picker and endpoint deployments share.
/// </summary>
public sealed class InstanceTypeRestriction
{
    /// <summary>No restriction: every instance type of the cluster.</summary>
    public static readonly InstanceTypeRestriction None = new(null);

    public InstanceTypeRestriction(IEnumerable<string>? allowed)
    {
        Allowed = [.. (allowed ?? []).Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The allowed names, sorted; empty when every instance type is allowed.</summary>
    public IReadOnlyList<string> Allowed { get; }

    public bool IsRestricted => Allowed.Count > 0;

    /// <summary>The code of the error a workload with an instance type the compute target does not allow gets (HTTP 422).</summary>
    public const string NotAllowedCode = "instance_type_not_allowed";

    /// <summary>Whether workloads may use <paramref name="instanceType"/>.</summary>
    public bool Allows(string instanceType) => !IsRestricted || Allowed.Contains(instanceType, StringComparer.Ordinal);

    /// <summary>The error on <paramref name="field"/> when <paramref name="instanceType"/> is not allowed on <paramref name="computeTarget"/>, else null.</summary>
    public Error? Check(string instanceType, string computeTarget, string field) =>
        Allows(instanceType)
            ? null
            : Error.Unprocessable(NotAllowedCode, field, $"Instance type '{instanceType}' is not allowed on compute target '{computeTarget}'. Allowed: {string.Join(", ", Allowed)}.");
}
