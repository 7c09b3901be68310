using System.Text.RegularExpressions;
using Studio.Domain.Common;

namespace Studio.Domain.Workspaces;

/// <summary>
/// A workspace name, with Azure ML's workspace naming rule: 3 to 33 characters, letters, digits, hyphens and
/// underscores, starting with a letter or digit. Names are unique regardless of case.
/// </summary>
public readonly partial record struct WorkspaceName
{
    public const int MinLength = 3;
    public const int MaxLength = 33;

    private WorkspaceName(string value) => Value = value;

    public string Value { get; }

    /// <summary>The key that makes names unique regardless of case.</summary>
    public string Normalized => Value.ToLowerInvariant();

    public static Result<WorkspaceName> Create(string? value, string field = "name")
    {
        var reason = Validate(value);
        return reason is null ? Result<WorkspaceName>.Ok(new WorkspaceName(value!)) : Error.Validation(field, reason);
    }

    /// <summary>Returns null when the name is valid, else a sentence saying what is wrong.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "Enter a name.";
        }

        if (value.Length is < MinLength or > MaxLength)
        {
            return $"The name must be {MinLength} to {MaxLength} characters long (it has {value.Length}).";
        }

        if (!char.IsAsciiLetterOrDigit(value[0]))
        {
            return "The name must start with a letter or a digit.";
        }

        return Pattern().IsMatch(value) ? null : "Use only letters, digits, hyphens (-) and underscores (_).";
    }

    public override string ToString() => Value;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
