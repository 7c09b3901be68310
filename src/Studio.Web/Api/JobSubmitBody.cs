using Studio.Domain.Jobs;

namespace Studio.Web.Api;

/// <summary>
/// A job as JSON (<c>POST /api/workspaces/{ws}/jobs</c>): the submit form's fields. Missing required fields come back as
/// per-field problems (named by their CLI v2 YAML path). <see cref="RequestId"/> (or the <c>Idempotency-Key</c> header)
/// makes a retried submit return the same job. <see cref="CodeSnapshot"/> reruns a stored snapshot (a clone of a job with
/// code); new code comes as a multipart submit.
/// </summary>
public sealed record JobSubmitBody(
    string? Compute = null,
    string? InstanceType = null,
    int? InstanceCount = null,
    string? Image = null,
    string? Environment = null,
    string? Command = null,
    Dictionary<string, string>? Inputs = null,
    Dictionary<string, string>? EnvironmentVariables = null,
    JobDistributionBody? Distribution = null,
    int? TimeoutSeconds = null,
    int? Priority = null,
    string? Name = null,
    string? DisplayName = null,
    string? ExperimentName = null,
    string? Description = null,
    Dictionary<string, string>? Tags = null,
    int? MaxRetries = null,
    Dictionary<string, string>? PodAnnotations = null,
    string? RequestId = null,
    string? Code = null,
    string? CodeSnapshot = null)
{
    public JobSpec ToSpec() => new()
    {
        Compute = Compute ?? string.Empty,
        InstanceType = string.IsNullOrWhiteSpace(InstanceType) ? null : InstanceType,
        InstanceCount = InstanceCount ?? 1,
        Image = string.IsNullOrWhiteSpace(Image) ? null : Image,
        Environment = string.IsNullOrWhiteSpace(Environment) ? null : Environment,
        Command = Command ?? string.Empty,
        Inputs = Inputs ?? [],
        EnvironmentVariables = EnvironmentVariables ?? [],
        Distribution = Distribution?.ToDistribution() ?? Studio.Domain.Jobs.Distribution.None,
        Timeout = TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null,
        Priority = Priority,
        Name = string.IsNullOrWhiteSpace(Name) ? null : Name,
        DisplayName = DisplayName,
        ExperimentName = ExperimentName,
        Description = Description,
        Tags = Tags ?? [],
        MaxRetries = MaxRetries ?? 0,
        PodAnnotations = PodAnnotations ?? [],
        Code = string.IsNullOrWhiteSpace(Code) ? null : Code.Trim(),
        CodeSnapshot = string.IsNullOrWhiteSpace(CodeSnapshot) ? null : CodeSnapshot.Trim(),
    };
}
