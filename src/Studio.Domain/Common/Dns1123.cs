using System.Text.RegularExpressions;

namespace Studio.Domain.Common;

/// <summary>Kubernetes name rules (DNS-1123 label and subdomain), as the API server applies them.</summary>
public static partial class Dns1123
{
    public const int LabelMaxLength = 63;
    public const int SubdomainMaxLength = 253;

    /// <summary>Returns null when <paramref name="value"/> is a valid DNS-1123 label, else the reason.</summary>
    public static string? ValidateLabel(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "is required";
        }

        if (value.Length > LabelMaxLength)
        {
            return $"must be no more than {LabelMaxLength} characters";
        }

        return LabelPattern().IsMatch(value)
            ? null
            : "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')";
    }

    /// <summary>Returns null when <paramref name="value"/> is a valid DNS-1123 subdomain, else the reason.</summary>
    public static string? ValidateSubdomain(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "is required";
        }

        if (value.Length > SubdomainMaxLength)
        {
            return $"must be no more than {SubdomainMaxLength} characters";
        }

        return SubdomainPattern().IsMatch(value)
            ? null
            : "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SubdomainPattern();
}
