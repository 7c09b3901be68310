using System.Security.Claims;
using Studio.Domain.Common;
using Studio.Web.Model;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>The quick finder's API (<c>GET /api/search?q=</c>): what the Ctrl+K palette finds, for scripts and other clients.</summary>
public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", async (string? q, string? workspace, ClaimsPrincipal user, QuickFind finder, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(q))
                {
                    return new[] { Error.Validation("q", "Give part of a name to find (q=...).") }.ToProblem();
                }

                if (q.Length > QuickFind.MaxTextLength)
                {
                    return new[] { Error.Validation("q", $"Search for at most {QuickFind.MaxTextLength} characters; this is {q.Length}.") }.ToProblem();
                }

                return Results.Ok(await finder.SearchAsync(user.ToActor(), q, workspace, ct));
            })
            .RequireAuthorization(Policies.SignedIn).WithTags("Search").WithName("Search")
            .WithSummary("Pages, workspaces, clusters, nodes, compute targets, instance types, jobs, data assets and models you may open whose name contains q, best first (exact, starts with, contains); workspace is searched first.")
            .Produces<IReadOnlyList<QuickFindHit>>().ProducesValidationProblem();
        return app;
    }
}
