using Remediator.Aws.Audit;
using Remediator.Aws.DynamoDb;

namespace Remediator.Aws.Tests.DynamoDb;

/// <summary>The signed DynamoDB client against moto's: a conditional put holds once, a read returns the item.</summary>
[Collection(MotoCollection.Name)]
public sealed class DynamoDbClientMotoTests(MotoServer moto) : MotoTests(moto, Table)
{
    private const string Table = "remediator-audit";

    private static readonly DynamoCondition KeyIsFree = new(
        "attribute_not_exists(pk)", new Dictionary<string, string>(StringComparer.Ordinal), new Dictionary<string, DynamoScalar>(StringComparer.Ordinal));

    [Fact]
    public async Task A_conditional_put_is_written_once_and_read_back_with_strings_and_numbers()
    {
        using var client = new DynamoDbClient(TestAws.Options(Moto.Endpoint), TestAws.Settings());
        var item = new Dictionary<string, DynamoScalar>(AuditItem.Key("e-1/rule"), StringComparer.Ordinal)
        {
            ["record"] = DynamoScalar.String("""{"quoted":"\"ü\""}"""),
            ["inProgressUntil"] = DynamoScalar.Number(1_764_000_000_123),
        };

        Assert.True(await client.PutItemAsync(Table, item, KeyIsFree));
        Assert.False(await client.PutItemAsync(Table, new Dictionary<string, DynamoScalar>(item) { ["record"] = DynamoScalar.String("second") }, KeyIsFree));

        var read = await client.GetItemAsync(Table, AuditItem.Key("e-1/rule"), consistentRead: true);
        Assert.Equal(item.OrderBy(a => a.Key, StringComparer.Ordinal), read!.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Null(await client.GetItemAsync(Table, AuditItem.Key("e-2/rule"), consistentRead: true));
    }

    [Fact]
    public async Task A_missing_table_fails_with_its_code()
    {
        using var client = new DynamoDbClient(TestAws.Options(Moto.Endpoint), TestAws.Settings());

        var failure = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetItemAsync("absent", AuditItem.Key("e-1/rule"), consistentRead: true));

        Assert.Equal("ResourceNotFoundException", failure.ErrorCode);
    }
}
