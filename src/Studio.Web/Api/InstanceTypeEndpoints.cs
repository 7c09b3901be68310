using System.Security.Claims;
using Studio.Domain.Common;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.InstanceTypes;
using Studio.Web.Security;

namespace Studio.Web.Api;

/// <summary>
/// REST API for a cluster's instance types (<c>/api/clusters/{cluster}/instancetypes</c>, cluster by name or id): list
/// with live availability, get, create, update, delete, validate, import and export YAML. Reads for whoever sees the cluster
/// (<see cref="ClusterVisibility"/>), writes for administrators; errors are RFC 7807 problem details with per-field messages.
/// </summary>
public static class InstanceTypeEndpoints
{
    public static IEndpointRouteBuilder MapInstanceTypeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/clusters/{cluster}/instancetypes").WithTags("Instance types").RequireAuthorization(Policies.SignedIn);

        group.MapGet("/", async (string cluster, ClaimsPrincipal user, ClusterService clusters, InstanceTypeCatalog catalog, CancellationToken ct) =>
            {
                var view = await ViewAsync(user, cluster, clusters, catalog, ct);
                return view.IsSuccess
                    ? Results.Ok(view.Value.Entries.Select(e => InstanceTypeView.From(e, view.Value.AvailabilityOf(e.Name))).ToList())
                    : view.Errors.ToProblem();
            })
            .WithName("ListInstanceTypes").WithSummary("The cluster's instance types (the implicit defaultinstancetype included) with live availability.")
            .Produces<List<InstanceTypeView>>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{name}", async (string cluster, string name, ClaimsPrincipal user, ClusterService clusters, InstanceTypeCatalog catalog, CancellationToken ct) =>
            {
                var view = await ViewAsync(user, cluster, clusters, catalog, ct);
                if (!view.IsSuccess)
                {
                    return view.Errors.ToProblem();
                }

                var entry = view.Value.Entries.FirstOrDefault(e => e.Name == name);
                return entry is null
                    ? new[] { Error.NotFound($"Instance type '{name}' does not exist on cluster {view.Value.ClusterName}.") }.ToProblem()
                    : Results.Ok(InstanceTypeView.From(entry, view.Value.AvailabilityOf(name)));
            })
            .WithName("GetInstanceType").Produces<InstanceTypeView>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (string cluster, InstanceTypeBody body, ClaimsPrincipal user, ClusterService clusters, InstanceTypeCatalog catalog, CancellationToken ct) =>
            {
                var id = await ClusterIdAsync(user, cluster, clusters, ct);
                if (!id.IsSuccess)
                {
                    return id.Errors.ToProblem();
                }

                var created = await catalog.CreateAsync(user.ToActor(), id.Value, body.ToDraft(), ct);
                return created.IsSuccess
                    ? Results.Created($"/api/clusters/{cluster}/instancetypes/{created.Value.Name}", InstanceTypeView.From(created.Value, null))
                    : created.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("CreateInstanceType").WithSummary("Creates an InstanceType resource on the cluster (server-side apply, field manager 'studio') after validating the rules and the fit.")
            .Produces<InstanceTypeView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPut("/{name}", async (string cluster, string name, InstanceTypeBody body, ClaimsPrincipal user, ClusterService clusters, InstanceTypeCatalog catalog, CancellationToken ct) =>
            {
                var id = await ClusterIdAsync(user, cluster, clusters, ct);
                if (!id.IsSuccess)
                {
                    return id.Errors.ToProblem();
                }

                var updated = await catalog.UpdateAsync(user.ToActor(), id.Value, name, body.ToDraft() with { Name = body.Name ?? name }, ct);
                return updated.IsSuccess ? Results.Ok(InstanceTypeView.From(updated.Value, null)) : updated.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("UpdateInstanceType").WithSummary("Replaces the nodeSelector and resources of an instance type (the name cannot change).")
            .Produces<InstanceTypeView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{name}", async (string cluster, string name, ClaimsPrincipal user, ClusterService clusters, InstanceTypeCatalog catalog, CancellationToken ct) =>
            {
                var id = await ClusterIdAsync(user, cluster, clusters, ct);
                return id.IsSuccess ? (await catalog.DeleteAsync(user.ToActor(), id.Value, name, ct)).ToHttp() : id.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("DeleteInstanceType").WithSummary("Deletes the resource; refused for the implicit default and while a compute target uses it as its default.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/validate", async (string cluster, InstanceTypeBody body, ClaimsPrincipal user, ClusterService clusters, InstanceTypeCatalog catalog, CancellationToken ct) =>
            {
                var id = await ClusterIdAsync(user, cluster, clusters, ct);
                if (!id.IsSuccess)
                {
                    return id.Errors.ToProblem();
                }

                var check = await catalog.ValidateAsync(id.Value, body.ToDraft(), ct);
                return check.IsSuccess
                    ? Results.Ok(new
                    {
                        valid = check.Value.IsValid,
                        errors = ByField(check.Value.Errors),
                        warnings = ByField(check.Value.Warnings),
                        availability = check.Value.Availability is { } a ? InstanceTypeAvailabilityView.From(a) : null,
                    })
                    : check.Errors.ToProblem();
            })
            .WithName("ValidateInstanceType").WithSummary("Checks an instance type against Azure ML's rules and the live nodes (fit, selector, extension nodeSelector) without saving.");

        group.MapPost("/import", async (string cluster, HttpRequest request, bool? dryRun, ClaimsPrincipal user, ClusterService clusters, InstanceTypeCatalog catalog, CancellationToken ct) =>
            {
                var id = await ClusterIdAsync(user, cluster, clusters, ct);
                if (!id.IsSuccess)
                {
                    return id.Errors.ToProblem();
                }

                string? yaml;
                var dry = dryRun ?? false;
                if (request.ContentType?.Contains("yaml", StringComparison.OrdinalIgnoreCase) == true || request.ContentType?.StartsWith("text/", StringComparison.OrdinalIgnoreCase) == true)
                {
                    using var reader = new StreamReader(request.Body);
                    yaml = await reader.ReadToEndAsync(ct);
                }
                else
                {
                    var body = await request.ReadFromJsonAsync<InstanceTypeImportBody>(ct);
                    yaml = body?.Yaml;
                    dry = dry || body?.DryRun == true;
                }

                var report = await catalog.ImportAsync(user.ToActor(), id.Value, yaml, dry, ct);
                if (!report.IsSuccess)
                {
                    return report.Errors.ToProblem();
                }

                if (report.Value.Failed > 0)
                {
                    return Results.ValidationProblem(
                        ByField(report.Value.Items.SelectMany(i => i.Errors).ToList()),
                        title: $"{report.Value.Failed} of {report.Value.Items.Count} instance types are invalid; nothing was imported.",
                        statusCode: StatusCodes.Status400BadRequest,
                        extensions: new Dictionary<string, object?> { ["items"] = report.Value.Items });
                }

                return Results.Ok(report.Value);
            })
            .RequireAuthorization(Policies.Administrator)
            .WithName("ImportInstanceTypes").WithSummary("Imports InstanceType / InstanceTypeList YAML (body as application/yaml, or JSON { yaml, dryRun }); all or nothing; per-item errors name the item path and line.")
            .Accepts<InstanceTypeImportBody>("application/json", "application/yaml")
            .Produces<ImportReport>().ProducesValidationProblem();

        group.MapGet("/export", async (string cluster, string? names, ClaimsPrincipal user, ClusterService clusters, InstanceTypeCatalog catalog, CancellationToken ct) =>
            {
                var id = await ClusterIdAsync(user, cluster, clusters, ct);
                if (!id.IsSuccess)
                {
                    return id.Errors.ToProblem();
                }

                var chosen = names?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var yaml = await catalog.ExportAsync(id.Value, chosen, ct);
                return yaml.IsSuccess ? Results.Text(yaml.Value, "application/yaml") : yaml.Errors.ToProblem();
            })
            .WithName("ExportInstanceTypes").WithSummary("YAML for kubectl apply: one InstanceType, or an InstanceTypeList (names=a,b to choose; all resources by default).");

        app.MapPut("/api/workspaces/{workspace}/computes/{name}/instancetypes", async (string workspace, string name, ComputeInstanceTypesBody body, ClaimsPrincipal user, InstanceTypeCatalog catalog, CancellationToken ct) =>
            {
                var result = await catalog.SetComputeInstanceTypesAsync(user.ToActor(), workspace, name, body.DefaultInstanceType, body.Allowed, ct);
                return result.IsSuccess ? Results.Ok(result.Value) : result.Errors.ToProblem();
            })
            .RequireAuthorization(Policies.Administrator)
            .WithTags("Compute")
            .WithName("SetComputeInstanceTypes").WithSummary("Sets a compute target's default instance type and the instance types its workloads may use (empty: all).")
            .Produces<Studio.Infrastructure.Compute.ComputeSummary>().ProducesValidationProblem();

        return app;
    }

    private static Dictionary<string, string[]> ByField(IReadOnlyList<Error> errors) =>
        errors.GroupBy(e => e.Field ?? string.Empty).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());

    /// <summary>The cluster by name or id, not found unless the caller sees it (<see cref="ClusterVisibility"/>).</summary>
    private static async Task<Result<Guid>> ClusterIdAsync(ClaimsPrincipal user, string cluster, ClusterService clusters, CancellationToken ct)
    {
        var found = await clusters.GetAsync(user.ToActor(), cluster, ct);
        return found.IsSuccess ? found.Value.Id : Result<Guid>.Failure(found.Errors);
    }

    private static async Task<Result<InstanceTypeCatalogView>> ViewAsync(ClaimsPrincipal user, string cluster, ClusterService clusters, InstanceTypeCatalog catalog, CancellationToken ct)
    {
        var id = await ClusterIdAsync(user, cluster, clusters, ct);
        return id.IsSuccess ? await catalog.ViewAsync(id.Value, null, ct) : Result<InstanceTypeCatalogView>.Failure(id.Errors);
    }
}
