namespace Studio.Web.Model;

/// <summary>One editable row of a key/value editor (inputs, environment variables, tags).</summary>
public sealed class KeyValueRow
{
    public KeyValueRow()
    {
    }

    public KeyValueRow(string key, string value)
    {
        Key = key;
        Value = value;
    }

    public string Key { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;
}
