using Studio.Domain.Common;

namespace Studio.Domain.Endpoints;

/// <summary>
/// An online endpoint on a Kubernetes compute target: its name (unique in the workspace and on the cluster), auth mode and
/// keys, description, tags, and the traffic rules between its deployments. Its state moves only by the rules of
/// <see cref="EndpointLifecycle"/>; every change users see raises one <see cref="OnlineEndpointChanged"/> per save.
/// Keys are opaque here: the infrastructure generates them and keeps them encrypted.
/// </summary>
public sealed class OnlineEndpoint : Entity
{
    private readonly List<EndpointTransition> _transitions = [];
    private Dictionary<string, int> _traffic = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, int> _mirror = new(StringComparer.OrdinalIgnoreCase);
    private OnlineEndpointChanged? _raised;

    private OnlineEndpoint()
    {
        Name = Compute = Namespace = PrimaryKey = SecondaryKey = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid WorkspaceId { get; private set; }

    public string Name { get; private set; }

    public string Compute { get; private set; }

    public Guid ClusterId { get; private set; }

    public string Namespace { get; private set; }

    public EndpointAuthMode AuthMode { get; private set; }

    public string? Description { get; private set; }

    public IReadOnlyDictionary<string, string> Tags { get; private set; } = new Dictionary<string, string>();

    public string PrimaryKey { get; private set; }

    public string SecondaryKey { get; private set; }

    public EndpointState State { get; private set; }

    public string? Reason { get; private set; }

    public string? Message { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Live traffic per deployment, in percent (sums to 0 or 100).</summary>
    public IReadOnlyDictionary<string, int> Traffic => _traffic;

    /// <summary>Mirrored traffic: at most one deployment, at most 50 %.</summary>
    public IReadOnlyDictionary<string, int> MirrorTraffic => _mirror;

    public IReadOnlyList<EndpointTransition> Transitions => _transitions;

    /// <summary>Records a new endpoint: Creating until its objects are on the cluster. Validates the spec (errors by YAML path).</summary>
    public static Result<OnlineEndpoint> Create(Guid workspaceId, OnlineEndpointSpec spec, Guid clusterId, string @namespace, string primaryKey, string secondaryKey, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = spec.Validate();
        if (errors.Count > 0)
        {
            return Result<OnlineEndpoint>.Failure(errors);
        }

        var endpoint = new OnlineEndpoint
        {
            Id = Guid.NewGuid(),
            WorkspaceId = workspaceId,
            Name = spec.Name,
            Compute = spec.Compute,
            ClusterId = clusterId,
            Namespace = @namespace,
            AuthMode = spec.AuthMode,
            Description = spec.Description,
            Tags = new Dictionary<string, string>(spec.Tags, StringComparer.Ordinal),
            PrimaryKey = primaryKey,
            SecondaryKey = secondaryKey,
            State = EndpointState.Creating,
            CreatedAt = at,
            UpdatedAt = at,
        };
        endpoint._transitions.Add(new EndpointTransition(EndpointState.Creating, at));
        endpoint.Raise(EndpointChange.Created, null, at);
        return endpoint;
    }

    /// <summary>
    /// Changes description, tags and auth mode (an idempotent PUT: an unchanged spec changes nothing). The compute target
    /// cannot change: a new one is a new endpoint.
    /// </summary>
    public Result Update(OnlineEndpointSpec spec, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = spec.Validate().ToList();
        if (!string.Equals(spec.Compute, Compute, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(Error.Validation("compute", $"The endpoint runs on '{Compute}'; its compute target cannot change (create a new endpoint on '{spec.Compute}')."));
        }

        if (errors.Count > 0)
        {
            return Result.Failure(errors);
        }

        if (State == EndpointState.Deleting)
        {
            return Result.Failure(EndpointLifecycle.Busy(State, $"Endpoint '{Name}'")!);
        }

        var tags = new Dictionary<string, string>(spec.Tags, StringComparer.Ordinal);
        if (AuthMode == spec.AuthMode && Description == spec.Description && Tags.Count == tags.Count && !Tags.Except(tags).Any())
        {
            return Result.Success();
        }

        AuthMode = spec.AuthMode;
        Description = spec.Description;
        Tags = tags;
        Raise(EndpointChange.Settings, State, at);
        return Result.Success();
    }

    /// <summary>Sets traffic and mirror after checking them against the endpoint's deployments (<see cref="TrafficRules"/>); nothing changes on an error.</summary>
    public Result SetTraffic(IReadOnlyDictionary<string, int> traffic, IReadOnlyDictionary<string, int> mirror, IReadOnlyCollection<string> deployments, DateTimeOffset at)
    {
        if (State == EndpointState.Deleting)
        {
            return Result.Failure(EndpointLifecycle.Busy(State, $"Endpoint '{Name}'")!);
        }

        var errors = TrafficRules.Validate(traffic, mirror, deployments);
        if (errors.Count > 0)
        {
            return Result.Failure(errors);
        }

        var next = traffic.Where(t => t.Value > 0).ToDictionary(t => t.Key.ToLowerInvariant(), t => t.Value, StringComparer.OrdinalIgnoreCase);
        var nextMirror = mirror.Where(t => t.Value > 0).ToDictionary(t => t.Key.ToLowerInvariant(), t => t.Value, StringComparer.OrdinalIgnoreCase);
        if (Same(next, _traffic) && Same(nextMirror, _mirror))
        {
            return Result.Success();
        }

        _traffic = next;
        _mirror = nextMirror;
        Raise(EndpointChange.Traffic, State, at);
        return Result.Success();
    }

    /// <summary>Whether <paramref name="deployment"/> may be deleted: not while it takes live traffic (move it first).</summary>
    public Error? CanRemoveDeployment(string deployment) =>
        _traffic.TryGetValue(deployment, out var live) && live > 0
            ? Error.Conflict("deployment_has_traffic", $"Deployment '{deployment}' takes {live} % of the endpoint's traffic; move its traffic to another deployment first.", "traffic")
            : null;

    /// <summary>Forgets a deleted deployment in the mirror rule (it has no live traffic, <see cref="CanRemoveDeployment"/>).</summary>
    public void RemoveDeployment(string deployment, DateTimeOffset at)
    {
        if (_mirror.Remove(deployment) | _traffic.Remove(deployment))
        {
            Raise(EndpointChange.Traffic, State, at);
        }
    }

    /// <summary>Replaces one key (<paramref name="secondary"/>: the secondary one) with <paramref name="newKey"/>; the other stays valid.</summary>
    public void RegenerateKey(bool secondary, string newKey, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(newKey);
        if (secondary)
        {
            SecondaryKey = newKey;
        }
        else
        {
            PrimaryKey = newKey;
        }

        Raise(EndpointChange.Keys, State, at);
    }

    /// <summary>The endpoint's objects are on the cluster.</summary>
    public void Provisioned(DateTimeOffset at) => Move(EndpointState.Succeeded, null, null, at);

    /// <summary>The cluster refused the endpoint's objects.</summary>
    public void Fail(string reason, string message, DateTimeOffset at) => Move(EndpointState.Failed, reason, message, at);

    /// <summary>Starts the delete: its deployments and objects go, then the record.</summary>
    public void BeginDelete(DateTimeOffset at) => Move(EndpointState.Deleting, null, null, at);

    private void Move(EndpointState to, string? reason, string? message, DateTimeOffset at)
    {
        if (State == to && Reason == reason)
        {
            return;
        }

        EndpointLifecycle.EnsureCanMove(State, to);
        var previous = State;
        State = to;
        Reason = reason;
        Message = message;
        _transitions.Add(new EndpointTransition(to, at, reason));
        Raise(EndpointChange.State, previous, at);
    }

    private void Raise(EndpointChange change, EndpointState? previous, DateTimeOffset at)
    {
        UpdatedAt = at;
        var pending = _raised is not null && DomainEvents.Contains(_raised) ? _raised : null;
        var next = new OnlineEndpointChanged(Id, WorkspaceId, Name, State, pending is null ? previous : pending.PreviousState, Reason, (pending?.Change ?? EndpointChange.None) | change, at);
        if (pending is null)
        {
            AddDomainEvent(next);
        }
        else
        {
            ReplaceDomainEvent(pending, next);
        }

        _raised = next;
    }

    private static bool Same(Dictionary<string, int> a, Dictionary<string, int> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
