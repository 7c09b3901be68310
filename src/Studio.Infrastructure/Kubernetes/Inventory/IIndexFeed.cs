using k8s;

namespace Studio.Infrastructure.Kubernetes.Inventory;

/// <summary>How an informer feeds its indexes: a relist's items, then each watch event.</summary>
internal interface IIndexFeed<in TObject>
{
    void BeginRelist();

    void Stage(string key, TObject item);

    void CommitRelist();

    void Apply(WatchEventType type, string key, TObject item);
}
