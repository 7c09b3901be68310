using System.Security.Cryptography;
using System.Text;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Deterministic job (and Kubernetes object) names: a readable prefix from the display or experiment name and a hash of
/// the workspace and the submit request id, so a retried submit with the same request id lands on the same name (and the
/// same object) instead of creating a second job.
/// </summary>
public static class JobNames
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// The name for a submit: the spec's own name when it has one, else PREFIX-HASH where HASH comes from
    /// (<paramref name="workspaceId"/>, <paramref name="requestId"/>); without a request id every submit gets a fresh name.
    /// Suffixes are 10 characters (36^10 ≈ 3.6e15 per workspace).
    /// </summary>
    public static string For(Guid workspaceId, JobSpec spec, string? requestId)
    {
        if (!string.IsNullOrWhiteSpace(spec.Name))
        {
            return spec.Name.Trim();
        }

        var seed = string.IsNullOrWhiteSpace(requestId) ? Guid.NewGuid().ToString("N") : requestId.Trim();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{workspaceId:N}/{seed}"));
        var suffix = new StringBuilder(10);
        for (var i = 0; i < 10; i++)
        {
            suffix.Append(Alphabet[hash[i] % Alphabet.Length]);
        }

        var prefix = Slug(spec.DisplayName) ?? Slug(spec.ExperimentName) ?? "job";
        var maxPrefix = 63 - 1 - suffix.Length - 8; // room for "-mpi" and pod suffixes ("-12-abcde") in derived names
        if (prefix.Length > maxPrefix)
        {
            prefix = prefix[..maxPrefix].TrimEnd('-');
        }

        return $"{prefix}-{suffix}";
    }

    private static string? Slug(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var slug = new StringBuilder();
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var result = slug.ToString().Trim('-');
        if (result.Length == 0)
        {
            return null;
        }

        return char.IsAsciiLetter(result[0]) ? result : "job-" + result;
    }
}
