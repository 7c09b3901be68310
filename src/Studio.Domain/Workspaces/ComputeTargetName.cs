using System.Text.RegularExpressions;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

/// <summary>Azure ML's compute naming rule: 2 to 16 characters, letters, digits and hyphens, starting with a letter.</summary>
public static partial class ComputeTargetName
{
    public const int MinLength = 2;
    public const int MaxLength = 16;

    /// <summary>The prefix of Azure ML asset references in CLI v2 files and API calls (<c>azureml:gpu-cluster</c>, <c>azureml:pytorch:3</c>).</summary>
    public const string AzureMlPrefix = AssetReference.Prefix;

    /// <summary>
    /// A compute target as a CLI v2 file or an API caller writes it (<c>azureml:NAME</c> or <c>NAME</c>): trimmed, without
    /// the <see cref="AzureMlPrefix"/> (any case), by <see cref="AssetReference.StripPrefix"/> — the rule asset references use.
    /// </summary>
    public static string Parse(string reference) => AssetReference.StripPrefix(reference);

    public static string? Validate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "Enter a compute name.";
        }

        if (value.Length is < MinLength or > MaxLength)
        {
            return $"The compute name must be {MinLength} to {MaxLength} characters long (it has {value.Length}).";
        }

        if (!char.IsAsciiLetter(value[0]))
        {
            return "The compute name must start with a letter.";
        }

        return Pattern().IsMatch(value) ? null : "Use only letters, digits and hyphens (-) in a compute name.";
    }

    public static Result<string> Create(string? value, string field = "name")
    {
        var reason = Validate(value);
        return reason is null ? Result<string>.Ok(value!) : Error.Validation(field, reason);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
