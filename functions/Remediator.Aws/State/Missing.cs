using Remediator.Aws.Transport;

namespace Remediator.Aws.State;

/// <summary>The ports' contract: a resource that does not exist reads as null; every other error propagates.</summary>
internal static class Missing
{
    public static async ValueTask<T?> AsNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public static async ValueTask<int?> AsNullAsync(Func<Task<int?>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
