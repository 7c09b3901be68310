using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Studio.Domain.Common;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Submit idempotency: the hash of a normalized request kept with its <c>Idempotency-Key</c>, and the answer to a submit
/// that finds a job of its name already recorded — the same job for a retry of the same request, a refusal for the same
/// key on a different request, a conflict for a name taken by another job.
/// </summary>
internal static class JobRequests
{
    /// <summary>SHA-256 (hex) of the spec as Studio reads it (after YAML import and overrides): the same request hashes the same however it was sent.</summary>
    public static string Hash(JobSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(spec, JobViews.Json))));

    public static Result<JobSubmitted> Repeat(Workspace workspace, TrainingJob existing, string name, string? requestId, string? requestHash)
    {
        if (requestId is null || existing.RequestId != requestId)
        {
            return Error.Conflict("job_exists", $"Workspace '{workspace.Name}' already has a job named '{name}'. Choose another name.", "name");
        }

        // Jobs recorded before hashes were kept have none: they answer as before.
        if (existing.RequestHash is not null && requestHash is not null && existing.RequestHash != requestHash)
        {
            return Error.Unprocessable("idempotency_key_reused", "Idempotency-Key", $"This Idempotency-Key was used for a different request (job '{existing.Name}'). Use a new key for a new request.");
        }

        return new JobSubmitted(existing.Name, existing.State, Created: false);
    }
}
