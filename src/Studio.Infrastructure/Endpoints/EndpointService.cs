using k8s;
using Microsoft.EntityFrameworkCore;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Endpoints;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Environments;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Endpoints;

/// <summary>
/// Online endpoints and their deployments in a workspace: create, update (idempotent: an unchanged spec changes nothing),
/// delete, traffic and keys. Readers see them; data scientists of the workspace change them and read their keys; members
/// of other workspaces see nothing. A deployment is checked against its compute target (instance type allowed and on the
/// cluster, <c>resources</c> within it), its model (registered in the workspace) and its environment before anything is
/// saved or applied; its Deployment and Service are applied by the one server-side applier (field manager <c>studio</c>)
/// into the compute target's namespace, and deleted with it.
/// </summary>
public sealed class EndpointService(
    UnitOfWorkFactory units,
    EndpointKeys keys,
    KubernetesClientFactory clients,
    InstanceTypeCatalog instanceTypes,
    EnvironmentCatalog environments,
    TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<EndpointView>>> ListAsync(Actor actor, string workspaceName, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (workspace, denied) = await WorkspaceAsync(work, actor, workspaceName, WorkspaceRole.Reader, null, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var endpoints = await work.Endpoints.ListAsync(workspace!.Id, cancellationToken);
        var deployments = await work.Endpoints.ListDeploymentsAsync([.. endpoints.Select(e => e.Id)], cancellationToken);
        return Result<IReadOnlyList<EndpointView>>.Ok([.. endpoints.Select(e => EndpointView.From(e, deployments))]);
    }

    public async Task<Result<EndpointView>> GetAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (endpoint, denied) = await EndpointAsync(work, actor, workspaceName, name, WorkspaceRole.Reader, null, cancellationToken);
        return denied is not null ? denied : await ViewAsync(work, endpoint!, cancellationToken);
    }

    public async Task<Result<DeploymentView>> GetDeploymentAsync(Actor actor, string workspaceName, string endpointName, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (endpoint, denied) = await EndpointAsync(work, actor, workspaceName, endpointName, WorkspaceRole.Reader, null, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var deployment = await work.Endpoints.FindDeploymentAsync(endpoint!.Id, name, cancellationToken);
        return deployment is null ? Error.NotFound($"Endpoint '{endpoint.Name}' has no deployment '{name}'.") : DeploymentView.From(deployment);
    }

    /// <summary>
    /// Creates the endpoint, or updates its description, tags and auth mode (<paramref name="routeName"/>, when given, must
    /// be the spec's name). The name is unique in the workspace and on the compute target's cluster. Returns the view and
    /// whether it was created.
    /// </summary>
    public async Task<Result<(EndpointView View, bool Created)>> PutEndpointAsync(Actor actor, string workspaceName, OnlineEndpointSpec spec, string? routeName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await using var work = units.Begin();
        var (workspace, denied) = await WorkspaceAsync(work, actor, workspaceName, WorkspaceRole.DataScientist, "create or change endpoints", cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        if (routeName is not null && !string.Equals(routeName, spec.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Error.Validation("name", $"The body names endpoint '{spec.Name}' but the address names '{routeName}'.");
        }

        var now = clock.GetUtcNow();
        var existing = string.IsNullOrWhiteSpace(spec.Name) ? null : await work.Endpoints.FindAsync(workspace!.Id, spec.Name, cancellationToken);
        if (existing is not null)
        {
            var updated = existing.Update(spec, now);
            if (!updated.IsSuccess)
            {
                return Result<(EndpointView, bool)>.Failure(updated.Errors);
            }

            await work.SaveChangesAsync(cancellationToken);
            return ((await ViewAsync(work, existing, cancellationToken)).Value, false);
        }

        var errors = spec.Validate().ToList();
        var target = string.IsNullOrWhiteSpace(spec.Compute) ? null : workspace!.FindComputeTarget(spec.Compute);
        if (target is null && !string.IsNullOrWhiteSpace(spec.Compute))
        {
            errors.Add(Error.Validation("compute", $"Workspace '{workspace!.Name}' has no compute target named '{spec.Compute}'{(workspace.ComputeTargets.Count == 0 ? "; ask IT operations to attach a cluster" : $". Choose one of: {string.Join(", ", workspace.ComputeTargets.Select(c => c.Name))}")}."));
        }
        else if (target is not null && target.State != ComputeTargetState.Succeeded)
        {
            errors.Add(Error.Validation("compute", $"Compute target '{target.Name}' is {target.State}; endpoints run only on a Succeeded compute target."));
        }

        if (errors.Count == 0 && await work.Endpoints.NameTakenOnClusterAsync(target!.ClusterId, spec.Name, cancellationToken))
        {
            errors.Add(Error.Conflict("endpoint_exists", $"An endpoint named '{spec.Name}' already exists on the cluster of compute target '{target.Name}' (in another workspace); endpoint names are unique on a cluster. Choose another name.", "name"));
        }

        if (errors.Count > 0)
        {
            return Result<(EndpointView, bool)>.Failure(errors);
        }

        var created = OnlineEndpoint.Create(workspace!.Id, spec, target!.ClusterId, target.Namespace, keys.NewProtectedKey(), keys.NewProtectedKey(), now);
        if (!created.IsSuccess)
        {
            return Result<(EndpointView, bool)>.Failure(created.Errors);
        }

        // Without a Gateway the endpoint has no objects of its own on the cluster: its deployments carry it.
        created.Value.Provisioned(now);
        work.Endpoints.Add(created.Value);
        try
        {
            await work.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("endpoint_exists", $"An endpoint named '{spec.Name}' was created meanwhile in this workspace or on the cluster.", "name");
        }

        return (EndpointView.From(created.Value, []), true);
    }

    /// <summary>Deletes the endpoint: its deployments' objects on the cluster, then the records.</summary>
    public async Task<Result> DeleteEndpointAsync(Actor actor, string workspaceName, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (endpoint, denied) = await EndpointAsync(work, actor, workspaceName, name, WorkspaceRole.DataScientist, "delete endpoints", cancellationToken);
        if (denied is not null)
        {
            return Result.Failure(denied);
        }

        var deployments = await work.Endpoints.ListDeploymentsAsync([endpoint!.Id], cancellationToken);
        if (deployments.Count > 0)
        {
            var client = await clients.GetAsync(endpoint.ClusterId, cancellationToken);
            if (!client.IsSuccess)
            {
                return Result.Failure(Error.Conflict("cluster_unreachable", $"The endpoint's deployments cannot be removed from the cluster: {client.Errors[0].Message}"));
            }

            foreach (var deployment in deployments)
            {
                await DeleteObjectsAsync(client.Value, endpoint.Namespace, deployment.KubernetesName, cancellationToken);
            }
        }

        work.Endpoints.Remove(endpoint);
        await work.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    /// <summary>
    /// Creates or updates a deployment of <paramref name="endpointName"/> and applies its objects. Every check (spec,
    /// compute target, instance type and resources, model, environment) runs before anything is saved or applied; a
    /// cluster that refuses the objects leaves the deployment Failed with the cluster's message.
    /// </summary>
    public async Task<Result<(DeploymentView View, bool Created)>> PutDeploymentAsync(Actor actor, string workspaceName, string endpointName, OnlineDeploymentSpec spec, string? routeName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await using var work = units.Begin();
        var (workspace, denied) = await WorkspaceAsync(work, actor, workspaceName, WorkspaceRole.DataScientist, "create or change deployments", cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var endpoint = await work.Endpoints.FindAsync(workspace!.Id, endpointName, cancellationToken);
        if (endpoint is null)
        {
            return Error.NotFound($"Workspace '{workspace.Name}' has no endpoint '{endpointName}'.");
        }

        var errors = spec.Validate().ToList();
        if (routeName is not null && !string.Equals(routeName, spec.Name, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(Error.Validation("name", $"The body names deployment '{spec.Name}' but the address names '{routeName}'."));
        }

        if (!string.Equals(spec.EndpointName, endpoint.Name, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(Error.Validation("endpoint_name", $"The deployment names endpoint '{spec.EndpointName}' but is sent to '{endpoint.Name}'."));
        }

        var target = workspace.FindComputeTarget(endpoint.Compute);
        if (target is null)
        {
            errors.Add(Error.Validation("compute", $"The endpoint's compute target '{endpoint.Compute}' is no longer attached to workspace '{workspace.Name}'."));
        }

        Domain.InstanceTypes.InstanceType? instanceType = null;
        if (target is not null)
        {
            var chosen = target.ChooseInstanceType(spec.InstanceType, "instance_type");
            if (!chosen.IsSuccess)
            {
                errors.AddRange(chosen.Errors);
            }
            else
            {
                var found = await instanceTypes.GetAsync(target.ClusterId, chosen.Value, cancellationToken);
                if (found.IsSuccess)
                {
                    instanceType = found.Value;
                    errors.AddRange(DeploymentSpecRules.ValidateResources(spec.Resources, instanceType));
                }
                else
                {
                    errors.Add(Error.Validation("instance_type", found.Errors[0].Message));
                }
            }
        }

        if (await ModelErrorAsync(work, workspace, spec.Model, cancellationToken) is { } modelError)
        {
            errors.Add(modelError);
        }

        var image = spec.Image?.Trim();
        if (string.IsNullOrEmpty(image) && !string.IsNullOrWhiteSpace(spec.Environment))
        {
            image = environments.Resolve(workspace, spec.Environment);
            if (image is null)
            {
                errors.Add(Error.Validation("environment", $"Environment '{spec.Environment}' is not registered. Known environments: {string.Join(", ", environments.Known(workspace))}; or give an image (environment: {{image: ...}})."));
            }
        }
        else if (string.IsNullOrEmpty(image))
        {
            errors.Add(Error.Validation("environment", "A deployment needs an environment: a registered one (azureml:NAME:VERSION) or an image (environment: {image: ...})."));
        }

        if (errors.Count > 0)
        {
            return Result<(DeploymentView, bool)>.Failure(errors);
        }

        var now = clock.GetUtcNow();
        var deployment = await work.Endpoints.FindDeploymentAsync(endpoint.Id, spec.Name, cancellationToken);
        var created = deployment is null;
        var generation = deployment?.Generation ?? 0;
        if (deployment is null)
        {
            var made = OnlineDeployment.Create(endpoint, spec, instanceType!.Name, now);
            if (!made.IsSuccess)
            {
                return Result<(DeploymentView, bool)>.Failure(made.Errors);
            }

            deployment = made.Value;
            work.Endpoints.AddDeployment(deployment);
        }
        else
        {
            var updated = deployment.Update(spec, instanceType!.Name, now);
            if (!updated.IsSuccess)
            {
                return Result<(DeploymentView, bool)>.Failure(updated.Errors);
            }
        }

        if (deployment.Generation != generation)
        {
            var plan = new DeploymentPlan(workspace.Name, workspace.Id, target!.Name, target.Namespace, endpoint.Name, deployment.Name, deployment.KubernetesName, deployment.Generation, spec, instanceType, image!, deployment.DesiredReplicas, PodSecurity: target.PodSecurity);
            var applied = await ApplyAsync(endpoint.ClusterId, plan, cancellationToken);
            if (applied is not null)
            {
                deployment.FailApply(applied, clock.GetUtcNow());
            }
        }

        try
        {
            await work.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (created)
        {
            return Error.Conflict("deployment_exists", $"Deployment '{spec.Name}' was created meanwhile.", "name");
        }

        return (DeploymentView.From(deployment), created);
    }

    /// <summary>Deletes a deployment without live traffic: its objects on the cluster, then the record; the endpoint forgets it in its mirror rule.</summary>
    public async Task<Result> DeleteDeploymentAsync(Actor actor, string workspaceName, string endpointName, string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (endpoint, denied) = await EndpointAsync(work, actor, workspaceName, endpointName, WorkspaceRole.DataScientist, "delete deployments", cancellationToken);
        if (denied is not null)
        {
            return Result.Failure(denied);
        }

        var deployment = await work.Endpoints.FindDeploymentAsync(endpoint!.Id, name, cancellationToken);
        if (deployment is null)
        {
            return Result.Failure(Error.NotFound($"Endpoint '{endpoint.Name}' has no deployment '{name}'."));
        }

        if (endpoint.CanRemoveDeployment(deployment.Name) is { } busy)
        {
            return Result.Failure(busy);
        }

        var client = await clients.GetAsync(endpoint.ClusterId, cancellationToken);
        if (!client.IsSuccess)
        {
            return Result.Failure(Error.Conflict("cluster_unreachable", $"Deployment '{deployment.Name}' cannot be removed from the cluster: {client.Errors[0].Message}"));
        }

        await DeleteObjectsAsync(client.Value, endpoint.Namespace, deployment.KubernetesName, cancellationToken);
        endpoint.RemoveDeployment(deployment.Name, clock.GetUtcNow());
        work.Endpoints.RemoveDeployment(deployment);
        await work.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    /// <summary>Sets live and mirrored traffic (sum 0 or 100, mirror at most 50 % to one deployment without live traffic); errors name the path, nothing changes on one.</summary>
    public async Task<Result<EndpointView>> SetTrafficAsync(Actor actor, string workspaceName, string endpointName, TrafficRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var work = units.Begin();
        var (endpoint, denied) = await EndpointAsync(work, actor, workspaceName, endpointName, WorkspaceRole.DataScientist, "change traffic", cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var deployments = await work.Endpoints.ListDeploymentsAsync([endpoint!.Id], cancellationToken);
        var set = endpoint.SetTraffic(request.Traffic ?? new Dictionary<string, int>(), request.MirrorTraffic ?? new Dictionary<string, int>(), [.. deployments.Select(d => d.Name)], clock.GetUtcNow());
        if (!set.IsSuccess)
        {
            return Result<EndpointView>.Failure(set.Errors);
        }

        await work.SaveChangesAsync(cancellationToken);
        return EndpointView.From(endpoint, deployments);
    }

    /// <summary>The endpoint's keys, for data scientists of the workspace.</summary>
    public async Task<Result<EndpointKeysView>> KeysAsync(Actor actor, string workspaceName, string endpointName, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var (endpoint, denied) = await EndpointAsync(work, actor, workspaceName, endpointName, WorkspaceRole.DataScientist, "read endpoint keys", cancellationToken);
        return denied is not null ? denied : new EndpointKeysView(keys.Reveal(endpoint!.PrimaryKey), keys.Reveal(endpoint.SecondaryKey));
    }

    /// <summary>Replaces the primary or the secondary key; the other stays valid.</summary>
    public async Task<Result<EndpointKeysView>> RegenerateKeyAsync(Actor actor, string workspaceName, string endpointName, string which, CancellationToken cancellationToken)
    {
        var secondary = which.ToLowerInvariant() switch
        {
            "primary" => false,
            "secondary" => true,
            _ => (bool?)null,
        };
        if (secondary is null)
        {
            return Error.Validation("key_type", $"'{which}' is not a key: regenerate 'primary' or 'secondary'.");
        }

        await using var work = units.Begin();
        var (endpoint, denied) = await EndpointAsync(work, actor, workspaceName, endpointName, WorkspaceRole.DataScientist, "regenerate endpoint keys", cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        endpoint!.RegenerateKey(secondary.Value, keys.NewProtectedKey(), clock.GetUtcNow());
        await work.SaveChangesAsync(cancellationToken);
        return new EndpointKeysView(keys.Reveal(endpoint.PrimaryKey), keys.Reveal(endpoint.SecondaryKey));
    }

    private async Task<string?> ApplyAsync(Guid clusterId, DeploymentPlan plan, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(clusterId, cancellationToken);
        if (!client.IsSuccess)
        {
            return $"The cluster cannot be reached: {client.Errors[0].Message}";
        }

        try
        {
            foreach (var o in EndpointManifests.Build(plan))
            {
                await ServerSideApplier.ApplyAsync(client.Value, o, cancellationToken);
            }

            return null;
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            return $"The cluster refused the deployment's objects ({(int)e.Response.StatusCode}): {e.Response.Content}";
        }
        catch (HttpRequestException e)
        {
            return $"The cluster cannot be reached: {e.Message}";
        }
    }

    private static async Task DeleteObjectsAsync(IKubernetes client, string @namespace, string kubernetesName, CancellationToken cancellationToken)
    {
        await ServerSideApplier.DeleteAsync(client, new ManifestObject("apps/v1", "Deployment", @namespace, kubernetesName, new object()), cancellationToken);
        await ServerSideApplier.DeleteAsync(client, new ManifestObject("v1", "Service", @namespace, kubernetesName, new object()), cancellationToken);
    }

    private static async Task<Error?> ModelErrorAsync(UnitOfWork work, Workspace workspace, DeploymentModel? model, CancellationToken cancellationToken)
    {
        if (model?.Reference is not { } reference)
        {
            return null;
        }

        var parsed = AssetReference.Parse(AssetReference.StripPrefix(reference), "model");
        if (!parsed.IsSuccess)
        {
            return parsed.Errors[0];
        }

        var normalized = DataAsset.Normalize(parsed.Value.Name);
        var registered = await work.Db.Models.FirstOrDefaultAsync(m => m.WorkspaceId == workspace.Id && m.NormalizedName == normalized, cancellationToken);
        if (registered is null)
        {
            return Error.Unprocessable("model_not_found", "model", $"Workspace '{workspace.Name}' has no model '{parsed.Value.Name}'. Register it first (Models page, or POST .../models).");
        }

        return registered.Find(parsed.Value.Version) is null
            ? Error.Unprocessable("model_not_found", "model", $"Model '{registered.Name}' has no version {parsed.Value.Version ?? "(latest)"}.")
            : null;
    }

    private async Task<Result<EndpointView>> ViewAsync(UnitOfWork work, OnlineEndpoint endpoint, CancellationToken cancellationToken) =>
        EndpointView.From(endpoint, await work.Endpoints.ListDeploymentsAsync([endpoint.Id], cancellationToken));

    private static async Task<(Workspace? Workspace, Error? Denied)> WorkspaceAsync(UnitOfWork work, Actor actor, string workspaceName, WorkspaceRole role, string? action, CancellationToken cancellationToken)
    {
        var workspace = await work.Workspaces.FindByNameAsync(workspaceName, cancellationToken);
        return (workspace, WorkspaceAccess.Check(actor, workspace, workspaceName, role, action is null ? null : $"Only data scientists of workspace '{workspace?.Name}' can {action}."));
    }

    private static async Task<(OnlineEndpoint? Endpoint, Error? Denied)> EndpointAsync(UnitOfWork work, Actor actor, string workspaceName, string name, WorkspaceRole role, string? action, CancellationToken cancellationToken)
    {
        var (workspace, denied) = await WorkspaceAsync(work, actor, workspaceName, role, action, cancellationToken);
        if (denied is not null)
        {
            return (null, denied);
        }

        var endpoint = await work.Endpoints.FindAsync(workspace!.Id, name, cancellationToken);
        return endpoint is null ? (null, Error.NotFound($"Workspace '{workspace.Name}' has no endpoint '{name}'.")) : (endpoint, null);
    }
}
