using System.Text.RegularExpressions;
using Studio.Domain.Common;

namespace Studio.Domain.Clusters;

/// <summary>Kubernetes label syntax: keys are an optional DNS subdomain prefix and a name; values are short names.</summary>
public static partial class LabelRules
{
    public static string? ValidateKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "A label key is required.";
        }

        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && Dns1123.ValidateSubdomain(key[..slash]) is { } prefixError)
        {
            return $"The label key prefix {prefixError}.";
        }

        return name.Length is 0 or > 63 || !NamePattern().IsMatch(name)
            ? $"'{key}' is not a valid label key: up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, optionally after a DNS prefix and '/'."
            : null;
    }

    public static string? ValidateValue(string? value) =>
        value is null || (value.Length <= 63 && (value.Length == 0 || NamePattern().IsMatch(value)))
            ? null
            : $"'{value}' is not a valid label value: up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.";

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
