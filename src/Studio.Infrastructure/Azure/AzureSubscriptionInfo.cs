namespace Studio.Infrastructure.Azure;

/// <summary>A subscription the signed-in identity can see.</summary>
public sealed record AzureSubscriptionInfo(string SubscriptionId, string DisplayName, string State);
