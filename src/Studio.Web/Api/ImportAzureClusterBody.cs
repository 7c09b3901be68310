using Studio.Infrastructure.Azure;

namespace Studio.Web.Api;

public sealed record ImportAzureClusterBody(AzureSignIn? SignIn, string? ResourceId, string? Name, string? DisplayName);
