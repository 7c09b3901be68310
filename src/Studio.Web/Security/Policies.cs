using Microsoft.AspNetCore.Authorization;

namespace Studio.Web.Security;

/// <summary>Authorization policies. Every page, API endpoint and hub method names one of these (or allows anonymous).</summary>
public static class Policies
{
    /// <summary>Any signed-in person; what they see inside a workspace is decided by their role there.</summary>
    public const string SignedIn = "Studio.SignedIn";

    /// <summary>IT operations: clusters, the extension, attach, instance types, workspaces, administration.</summary>
    public const string Administrator = "Studio.Administrator";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        options.AddPolicy(Administrator, p => p.RequireAuthenticatedUser().RequireRole(StudioRoles.Administrator));
        options.FallbackPolicy = options.GetPolicy(SignedIn);
    }
}
