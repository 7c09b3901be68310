namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>A shared informer of any kind, as its inventory starts, restarts, watches over and stops it.</summary>
public interface ISharedInformer : IAsyncDisposable
{
    string Kind { get; }

    InformerHealth Health { get; }

    int Count { get; }

    Task FirstSync { get; }

    void Start();

    void Restart();
}
