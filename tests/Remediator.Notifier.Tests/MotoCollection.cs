using Remediator.Testing;

namespace Remediator.Notifier.Tests;

/// <summary>This assembly's moto collection: the classes that talk to moto share one server and never run at once.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
