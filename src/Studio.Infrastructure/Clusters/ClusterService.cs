using Microsoft.EntityFrameworkCore;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;

namespace Studio.Infrastructure.Clusters;

/// <summary>Application service for registered clusters: register by kubeconfig, edit, rotate credentials, remove, check.</summary>
public sealed partial class ClusterService(
    UnitOfWorkFactory units,
    KubeconfigInspector inspector,
    ClusterCredentialStore credentials,
    KubernetesClientFactory clients,
    ConnectionChecker checker,
    InventoryRegistry inventories,
    ClusterVisibility visibility,
    TimeProvider clock)
{
    /// <summary>The clusters <paramref name="actor"/> sees, naming only their own workspaces on them (<see cref="ClusterVisibility"/>).</summary>
    public async Task<IReadOnlyList<ClusterSummary>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        var sight = await visibility.SightAsync(actor, cancellationToken);
        return [.. (await ListAsync(cancellationToken)).Where(c => sight.Sees(c.Id)).Select(sight.Redact)];
    }

    /// <summary>A cluster by name or id, not found unless <paramref name="actor"/> sees it (<see cref="ClusterVisibility"/>).</summary>
    public async Task<Result<ClusterSummary>> GetAsync(Actor actor, string nameOrId, CancellationToken cancellationToken)
    {
        var cluster = Guid.TryParse(nameOrId, out var id)
            ? (await ListAsync(cancellationToken)).FirstOrDefault(c => c.Id == id) is { } byId ? Result<ClusterSummary>.Ok(byId) : NotFound(nameOrId)
            : await GetAsync(nameOrId, cancellationToken);
        if (!cluster.IsSuccess)
        {
            return cluster;
        }

        var sight = await visibility.SightAsync(actor, cancellationToken);
        return sight.Sees(cluster.Value.Id) ? sight.Redact(cluster.Value) : NotFound(nameOrId);
    }

    public async Task<IReadOnlyList<ClusterSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var clusters = await work.Clusters.ListAsync(cancellationToken);
        var attachments = await work.Db.AttachmentsAsync(cancellationToken);
        return [.. clusters.Select(c => Summarize(c, attachments))];
    }

    public async Task<Result<ClusterSummary>> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        var cluster = await work.Clusters.FindByNameAsync(name, cancellationToken);
        return cluster is null ? NotFound(name) : Summarize(cluster, await work.Db.AttachmentsAsync(cancellationToken));
    }

    /// <summary>Inspects a kubeconfig (refusing unsafe ones) without storing anything: its contexts, for the picker.</summary>
    public Result<IReadOnlyList<KubeconfigContext>> Inspect(string? kubeconfig)
    {
        var document = inspector.Inspect(kubeconfig);
        return document.IsSuccess ? Result<IReadOnlyList<KubeconfigContext>>.Ok(document.Value.Contexts) : Result<IReadOnlyList<KubeconfigContext>>.Failure(document.Errors);
    }

    /// <summary>Checks one context of a kubeconfig before it is saved.</summary>
    public async Task<Result<ConnectionReport>> CheckAsync(string? kubeconfig, string? context, CancellationToken cancellationToken)
    {
        var extracted = Extract(kubeconfig, context);
        if (!extracted.IsSuccess)
        {
            return Result<ConnectionReport>.Failure(extracted.Errors);
        }

        using var client = clients.CreateUnregistered(extracted.Value.Yaml);
        var report = await checker.CheckAsync(client, cancellationToken);
        return report with { AlreadyRegisteredAs = await RegisteredWithServerAsync(extracted.Value.Context.Server, cancellationToken) };
    }

    /// <summary>The registered clusters whose API server is <paramref name="server"/> (scheme, host, port and path, any case).</summary>
    public async Task<IReadOnlyList<string>> RegisteredWithServerAsync(string server, CancellationToken cancellationToken) =>
        [.. (await ListAsync(cancellationToken)).Where(c => SameServer(c.Server, server)).Select(c => c.Name).Order(StringComparer.Ordinal)];

    internal static bool SameServer(string a, string b)
    {
        static string Key(string server) => Uri.TryCreate(server.Trim(), UriKind.Absolute, out var uri)
            ? $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}{uri.AbsolutePath.TrimEnd('/')}".ToLowerInvariant()
            : server.Trim().TrimEnd('/').ToLowerInvariant();
        return Key(a) == Key(b);
    }

    /// <summary>Checks a registered cluster with its stored credentials.</summary>
    public async Task<Result<ConnectionReport>> CheckAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await FindAsync(name, cancellationToken);
        if (cluster is null)
        {
            return NotFound(name);
        }

        var client = await clients.GetAsync(cluster.Id, cancellationToken);
        return client.IsSuccess ? await checker.CheckAsync(client.Value, cancellationToken) : Result<ConnectionReport>.Failure(client.Errors);
    }

    /// <summary>
    /// Registers one context of a kubeconfig as a cluster: inspects it, checks the connection (unless told not to),
    /// and stores the cluster with its encrypted single-context credentials in one unit of work.
    /// </summary>
    public async Task<Result<ClusterSummary>> RegisterAsync(Actor actor, RegisterClusterRequest request, CancellationToken cancellationToken)
    {
        if (!actor.IsAdministrator)
        {
            return Error.Forbidden("Only administrators can register clusters.");
        }

        var extracted = Extract(request.Kubeconfig, request.Context);
        if (!extracted.IsSuccess)
        {
            return Result<ClusterSummary>.Failure(extracted.Errors);
        }

        var (context, yaml) = extracted.Value;
        var name = string.IsNullOrWhiteSpace(request.Name) ? SuggestName(context.Name) : request.Name.Trim();
        var registered = Cluster.Register(name, request.Kind, context.Server, clock.GetUtcNow(), source: request.Source ?? $"kubeconfig context '{context.Name}'", displayName: request.DisplayName);
        if (!registered.IsSuccess)
        {
            return Result<ClusterSummary>.Failure(registered.Errors);
        }

        if (!request.SkipConnectionCheck)
        {
            using var probe = clients.CreateUnregistered(yaml);
            var report = await checker.CheckAsync(probe, cancellationToken);
            if (!report.Connected)
            {
                return Error.Validation("kubeconfig", $"The connection check failed, so nothing was saved. {report.Problem}");
            }
        }

        await using var work = units.Begin();
        if (await work.Clusters.FindByNameAsync(name, cancellationToken) is not null)
        {
            return Error.Conflict("cluster_exists", $"A cluster named '{name}' is already registered.", "name");
        }

        var cluster = registered.Value;
        work.Clusters.Add(cluster);
        await credentials.StageAsync(work.Db, cluster.Id, yaml, cancellationToken);
        work.Db.Audit(clock, actor, "cluster.register", cluster.Name, $"{cluster.Kind} {cluster.Server}");
        try
        {
            await work.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("cluster_exists", $"A cluster named '{name}' is already registered.", "name");
        }

        return ClusterSummary.From(cluster, [], []);
    }

    /// <summary>Registers the embedded sandbox (or points its registration at the sandbox's new port and token).</summary>
    public async Task<Result<ClusterSummary>> RegisterSandboxAsync(string name, string kubeconfigYaml, CancellationToken cancellationToken)
    {
        var extracted = Extract(kubeconfigYaml, null);
        if (!extracted.IsSuccess)
        {
            return Result<ClusterSummary>.Failure(extracted.Errors);
        }

        await using var work = units.Begin();
        var cluster = await work.Clusters.FindByNameAsync(name, cancellationToken);
        if (cluster is null)
        {
            var registered = Cluster.Register(name, ClusterKind.Sandbox, extracted.Value.Context.Server, clock.GetUtcNow(), "built-in sandbox", "Sandbox cluster");
            if (!registered.IsSuccess)
            {
                return Result<ClusterSummary>.Failure(registered.Errors);
            }

            cluster = registered.Value;
            work.Clusters.Add(cluster);
        }
        else
        {
            cluster.MoveTo(extracted.Value.Context.Server);
        }

        await credentials.StageAsync(work.Db, cluster.Id, extracted.Value.Yaml, cancellationToken);
        await work.SaveChangesAsync(cancellationToken);
        clients.Evict(cluster.Id);
        await inventories.ReconnectAsync(cluster.Id, cancellationToken);
        return Summarize(cluster, await work.Db.AttachmentsAsync(cancellationToken));
    }

    public async Task<Result<ClusterSummary>> EditAsync(Actor actor, string name, string? displayName, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        if (!actor.IsAdministrator)
        {
            return Error.Forbidden("Only administrators can change clusters.");
        }

        await using var work = units.Begin();
        var cluster = await work.Clusters.FindByNameAsync(name, cancellationToken);
        if (cluster is null)
        {
            return NotFound(name);
        }

        var edited = cluster.Edit(displayName, labels);
        if (!edited.IsSuccess)
        {
            return Result<ClusterSummary>.Failure(edited.Errors);
        }

        work.Db.Audit(clock, actor, "cluster.edit", cluster.Name);
        await work.SaveChangesAsync(cancellationToken);
        return Summarize(cluster, await work.Db.AttachmentsAsync(cancellationToken));
    }

    /// <summary>Replaces the credentials after checking the new ones; the old ones stay if the check fails.</summary>
    public async Task<Result<ClusterSummary>> RotateCredentialsAsync(Actor actor, string name, string? kubeconfig, string? context, CancellationToken cancellationToken)
    {
        if (!actor.IsAdministrator)
        {
            return Error.Forbidden("Only administrators can rotate cluster credentials.");
        }

        if (await FindAsync(name, cancellationToken) is { UsesOwnServiceAccount: true })
        {
            return Error.Conflict("in_cluster", $"Cluster '{name}' is the cluster the studio runs in, reached with the studio's own service account: there are no credentials to rotate (the mounted token is read again when Kubernetes rotates it).");
        }

        var extracted = Extract(kubeconfig, context);
        if (!extracted.IsSuccess)
        {
            return Result<ClusterSummary>.Failure(extracted.Errors);
        }

        using (var probe = clients.CreateUnregistered(extracted.Value.Yaml))
        {
            var report = await checker.CheckAsync(probe, cancellationToken);
            if (!report.Connected)
            {
                return Error.Validation("kubeconfig", $"The new credentials failed the connection check; the old ones are kept. {report.Problem}");
            }
        }

        await using var work = units.Begin();
        var cluster = await work.Clusters.FindByNameAsync(name, cancellationToken);
        if (cluster is null)
        {
            return NotFound(name);
        }

        cluster.CredentialsRotated(extracted.Value.Context.Server, clock.GetUtcNow());
        await credentials.StageAsync(work.Db, cluster.Id, extracted.Value.Yaml, cancellationToken);
        work.Db.Audit(clock, actor, "cluster.rotate-credentials", cluster.Name);
        await work.SaveChangesAsync(cancellationToken);
        clients.Evict(cluster.Id);
        await inventories.ReconnectAsync(cluster.Id, cancellationToken);
        return Summarize(cluster, await work.Db.AttachmentsAsync(cancellationToken));
    }

    /// <summary>Removes a cluster and its credentials; refused while compute targets are attached (naming them).</summary>
    public async Task<Result> RemoveAsync(Actor actor, string name, CancellationToken cancellationToken)
    {
        if (!actor.IsAdministrator)
        {
            return Result.Failure(Error.Forbidden("Only administrators can remove clusters."));
        }

        await using var work = units.Begin();
        var cluster = await work.Clusters.FindByNameAsync(name, cancellationToken);
        if (cluster is null)
        {
            return Result.Failure(Error.NotFound($"Cluster '{name}' is not registered."));
        }

        var attachments = await work.Db.AttachmentsAsync(cancellationToken);
        var targets = attachments.Where(a => a.ClusterId == cluster.Id).Select(a => a.ToString()).ToList();
        if (targets.Count > 0)
        {
            return Result.Failure(Error.Conflict("cluster_in_use", $"Cluster '{name}' is attached as {string.Join(", ", targets)}. Detach those compute targets first."));
        }

        work.Clusters.Remove(cluster);
        work.Db.Audit(clock, actor, "cluster.remove", cluster.Name);
        await work.SaveChangesAsync(cancellationToken);
        clients.Evict(cluster.Id);
        await inventories.ResetAsync(cluster.Id);
        return Result.Success();
    }

    public async Task<Cluster?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var work = units.Begin();
        return await work.Clusters.FindByNameAsync(name, cancellationToken);
    }

    private Result<(KubeconfigContext Context, string Yaml)> Extract(string? kubeconfig, string? contextName)
    {
        var document = inspector.Inspect(kubeconfig);
        if (!document.IsSuccess)
        {
            return Result<(KubeconfigContext, string)>.Failure(document.Errors);
        }

        var name = string.IsNullOrWhiteSpace(contextName) ? document.Value.CurrentContext ?? document.Value.Contexts[0].Name : contextName;
        var context = document.Value.Contexts.FirstOrDefault(c => c.Name == name);
        return context is null
            ? Error.Validation("context", $"The kubeconfig has no context named '{name}'. It has: {string.Join(", ", document.Value.Contexts.Select(c => c.Name))}.")
            : Result<(KubeconfigContext, string)>.Ok((context, document.Value.ExtractContext(context.Name)));
    }

    /// <summary>A DNS-1123 label from a context name ("arn:aws:eks:...:cluster/Prod_1" → "prod-1").</summary>
    public static string SuggestName(string contextName)
    {
        var tail = contextName.Split('/', ':', '@').Last(s => s.Length > 0);
        var chars = tail.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var name = new string(chars).Trim('-');
        while (name.Contains("--", StringComparison.Ordinal))
        {
            name = name.Replace("--", "-", StringComparison.Ordinal);
        }

        return name.Length == 0 ? "cluster" : name.Length > 63 ? name[..63].TrimEnd('-') : name;
    }

    private static ClusterSummary Summarize(Cluster cluster, IReadOnlyList<ComputeAttachment> attachments)
    {
        var mine = attachments.Where(a => a.ClusterId == cluster.Id).ToList();
        return ClusterSummary.From(cluster, [.. mine.Select(a => a.Workspace).Distinct()], [.. mine.Select(a => a.ToString())]);
    }

    private static Error NotFound(string name) => Error.NotFound($"Cluster '{name}' is not registered.");

}
