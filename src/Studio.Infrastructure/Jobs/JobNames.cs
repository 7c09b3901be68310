using System.Security.Cryptography;
using System.Text;
using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Deterministic job names: a readable prefix from the display or experiment name and a hash of the workspace and the
/// submit request id, so a retried submit with the same request id lands on the same name (and the same object) instead
/// of creating a second job; and the Kubernetes name of a job, unique in its namespace across workspaces.
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
        var suffix = Hash($"{workspaceId:N}/{seed}", 10);

        var prefix = Slug(spec.DisplayName) ?? Slug(spec.ExperimentName) ?? "job";
        var maxPrefix = 63 - 1 - suffix.Length - 8; // room for "-mpi" and pod suffixes ("-12-abcde") in derived names
        if (prefix.Length > maxPrefix)
        {
            prefix = prefix[..maxPrefix].TrimEnd('-');
        }

        return $"{prefix}-{suffix}";
    }

    /// <summary>Longest Kubernetes name of a job: room for "-mpi" and an Indexed Job's pod hostname "NAME-INDEX" within 63.</summary>
    public const int MaxKubernetesName = 55;

    /// <summary>
    /// The name of a job's Kubernetes objects: NAME-WS where WS is 5 characters from the workspace id, so two workspaces
    /// sharing a namespace never name the same object while the name stays readable; a NAME too long for that is cut and
    /// ends in 10 characters from (workspace, NAME) instead. The job's Studio name stays NAME.
    /// </summary>
    public static string KubernetesName(Guid workspaceId, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var workspace = Hash($"{workspaceId:N}", 5);
        if (name.Length + 1 + workspace.Length <= MaxKubernetesName)
        {
            return $"{name}-{workspace}";
        }

        var suffix = Hash($"{workspaceId:N}/{name}", 10);
        return $"{name[..(MaxKubernetesName - 1 - suffix.Length)].TrimEnd('-')}-{suffix}";
    }

    private static string Hash(string text, int length)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var result = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            result.Append(Alphabet[hash[i] % Alphabet.Length]);
        }

        return result.ToString();
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
