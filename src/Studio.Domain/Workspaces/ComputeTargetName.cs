using System.Text.RegularExpressions;
using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

/// <summary>Azure ML's compute naming rule: 2 to 16 characters, letters, digits and hyphens, starting with a letter.</summary>
public static partial class ComputeTargetName
{
    public const int MinLength = 2;
    public const int MaxLength = 16;

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
