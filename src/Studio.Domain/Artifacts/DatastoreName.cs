namespace Studio.Domain.Artifacts;

/// <summary>Azure ML's datastore naming rule: letters, digits and underscores, starting with a letter, at most 255 characters.</summary>
public static class DatastoreName
{
    public const int MaxLength = 255;

    /// <summary>The studio's own store, present in every workspace (Azure ML's default datastore is named so).</summary>
    public const string Default = "workspaceblobstore";

    /// <summary>Null when <paramref name="name"/> is a valid datastore name, else why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "The datastore name is empty.";
        }

        if (name.Length > MaxLength)
        {
            return $"A datastore name is at most {MaxLength} characters.";
        }

        if (!char.IsAsciiLetter(name[0]))
        {
            return $"Datastore name '{name}' must start with a letter.";
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? null : $"Datastore name '{name}' may contain only letters, digits and '_'.";
    }
}
