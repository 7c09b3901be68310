using Studio.Domain.Common;

namespace Studio.Domain.Clusters;

/// <summary>A Kubernetes cluster registered with the studio.</summary>
public sealed class Cluster : Entity
{
    private Cluster()
    {
        Name = string.Empty;
        Server = string.Empty;
    }

    private Cluster(Guid id, string name, ClusterKind kind, string server, DateTimeOffset registeredAt)
    {
        Id = id;
        Name = name;
        Kind = kind;
        Server = server;
        RegisteredAt = registeredAt;
    }

    public Guid Id { get; private set; }

    /// <summary>A DNS-1123 label, unique in the studio.</summary>
    public string Name { get; private set; }

    public ClusterKind Kind { get; private set; }

    /// <summary>The API server address.</summary>
    public string Server { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    public static Result<Cluster> Register(string? name, ClusterKind kind, string? server, DateTimeOffset now)
    {
        var errors = new List<Error>();
        if (Dns1123.ValidateLabel(name) is { } nameError)
        {
            errors.Add(Error.Validation("name", $"The cluster name {nameError}."));
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add(Error.Validation("server", "The API server address must be an absolute http(s) URL."));
        }

        return errors.Count > 0
            ? Result<Cluster>.Failure(errors)
            : Result<Cluster>.Ok(new Cluster(Guid.NewGuid(), name!, kind, server!, now));
    }

    /// <summary>Points the cluster at a new API server address (the embedded sandbox gets a new port each run).</summary>
    public void MoveTo(string server)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out _))
        {
            throw new DomainException($"'{server}' is not an absolute URL.");
        }

        Server = server;
    }
}
