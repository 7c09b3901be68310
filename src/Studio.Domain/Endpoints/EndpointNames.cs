using System.Text.RegularExpressions;

namespace Studio.Domain.Endpoints;

/// <summary>
/// Names of online endpoints and deployments as Azure ML accepts them: 3 to 32 characters, a letter first, then letters,
/// digits and '-', ending with a letter or digit. Studio also names Kubernetes objects after them, so it keeps them in
/// lower case (DNS-1123) and compares them without case.
/// </summary>
public static partial class EndpointNames
{
    public const int MinLength = 3;
    public const int MaxLength = 32;

    [GeneratedRegex("^[a-z][a-z0-9-]*[a-z0-9]$")]
    private static partial Regex Pattern();

    /// <summary>Null when <paramref name="name"/> is a valid endpoint or deployment name, else why not (<paramref name="what"/>: "An endpoint name").</summary>
    public static string? Validate(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return $"{what} is required.";
        }

        if (name.Length is < MinLength or > MaxLength)
        {
            return $"{what} has {MinLength} to {MaxLength} characters; '{name}' has {name.Length}.";
        }

        if (!Pattern().IsMatch(name))
        {
            return name.Any(char.IsUpper)
                ? $"{what} is in lower case ('{name.ToLowerInvariant()}'): Studio names Kubernetes objects after it."
                : $"{what} starts with a letter, has only lower-case letters, digits and '-', and ends with a letter or digit; '{name}' does not.";
        }

        return null;
    }

    /// <summary>The Kubernetes name of a deployment's objects (Deployment, Service): <c>ENDPOINT-DEPLOYMENT</c>, at most 63 characters.</summary>
    public static string KubernetesName(string endpoint, string deployment) => $"{endpoint}-{deployment}";
}
