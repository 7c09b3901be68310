namespace Studio.Infrastructure.Azure;

/// <summary>Where Azure lives, bound from <c>Studio:Azure</c>. Leave everything unset for the public cloud.</summary>
public sealed class AzureOptions
{
    public const string SectionName = "Studio:Azure";

    /// <summary>The Azure Resource Manager endpoint, e.g. <c>https://management.usgovcloudapi.net/</c>; null means the public cloud.</summary>
    public string? ResourceManagerEndpoint { get; set; }

    /// <summary>The token audience for <see cref="ResourceManagerEndpoint"/>; null means the endpoint itself.</summary>
    public string? ResourceManagerAudience { get; set; }

    /// <summary>The Microsoft Entra authority, e.g. <c>https://login.microsoftonline.us/</c>; null means the public cloud.</summary>
    public string? AuthorityHost { get; set; }
}
