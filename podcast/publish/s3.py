"""s3://bucket/prefix: AWS S3 and the S3-compatible stores (Cloudflare R2, Scaleway, OVHcloud, MinIO).

Credentials come from boto3's standard chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
AWS_PROFILE and ~/.aws/credentials, instance roles); this module never reads, prints or
stores them. Each object is one PUT (multipart for large files), atomic on S3: it appears
whole or not at all. Every object carries its sha256 as metadata (x-amz-meta-sha256).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator

from ..cancel import Cancelled
from ..errors import InputError, RemoteError
from ..options import Option
from .target import Item, Publisher, split_target

_URL = r"https?://[^\s/?#]+(/[^\s?#]*)?"


class S3Publisher(Publisher):
    name = "s3"
    description = "Amazon S3 or an S3-compatible store (R2, Scaleway, OVHcloud, MinIO), via boto3."
    schemes = ("s3",)
    options = (
        Option(
            "endpoint_url",
            str,
            None,
            "S3-compatible endpoint, e.g. https://<account>.r2.cloudflarestorage.com [AWS]",
            pattern=_URL,
            pattern_help="an http(s) URL",
            metavar="URL",
        ),
        Option("region", str, None, "Bucket region, e.g. eu-west-3, fr-par [boto3's configured region]"),
        Option(
            "acl",
            str,
            None,
            "Canned ACL on each object; public-read where the bucket allows ACLs [none: a bucket policy]",
            choices=("public-read", "private"),
        ),
    )

    def __init__(self, target: str, options=None):
        super().__init__(target, options)
        _, self.bucket, self.prefix = split_target(target)
        if not self.bucket or "@" in self.bucket or ":" in self.bucket:
            raise InputError(f"S3 target must be s3://bucket/prefix, not {target[:80]!r}")
        self._client = None
        self._mask: _Mask | None = None

    @property
    def client(self):
        if self._client is None:
            import boto3  # here, so `podcast render` never imports boto3
            from botocore.config import Config

            config = Config(
                connect_timeout=10,
                read_timeout=60,
                retries={"mode": "standard", "max_attempts": 4},
                s3={"addressing_style": "path"} if self.settings["endpoint_url"] else None,
            )
            with self._errors():
                session = boto3.session.Session()
                self._client = session.client(
                    "s3",
                    endpoint_url=self.settings["endpoint_url"] or None,
                    region_name=self.settings["region"] or None,
                    config=config,
                )
                self._hide(session.get_credentials())
        return self._client

    def _hide(self, credentials) -> None:
        """botocore's debug lines (shown by --debug) hold the signed request, session token included:
        the secret values are masked in every botocore and s3transfer logger while we publish."""
        if credentials is None:
            return
        frozen = credentials.get_frozen_credentials()
        secrets = [value for value in (frozen.secret_key, frozen.token) if value]
        if not secrets:
            return
        self._mask = _Mask(secrets)
        for name in list(logging.Logger.manager.loggerDict):
            if name.split(".")[0] in ("botocore", "boto3", "s3transfer", "urllib3"):
                logging.getLogger(name).addFilter(self._mask)

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def default_public_url(self) -> str:
        path = f"{self.bucket}/{self.prefix}/" if self.prefix else f"{self.bucket}/"
        endpoint = self.settings["endpoint_url"]
        if endpoint:
            return f"{endpoint.rstrip('/')}/{path}"
        region = self.client.meta.region_name or "us-east-1"
        return f"https://{self.bucket}.s3.{region}.amazonaws.com/{self.prefix + '/' if self.prefix else ''}"

    @contextlib.contextmanager
    def _errors(self, doing: str = "") -> Iterator[None]:
        """botocore's errors as one line; none of them carries the secret key."""
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            EndpointConnectionError,
            InvalidDNSNameError,
            InvalidRegionError,
            NoCredentialsError,
            NoRegionError,
            ParamValidationError,
            PartialCredentialsError,
        )

        where = f"s3://{self.bucket}/{self.prefix}"
        what = f" ({doing})" if doing else ""
        try:
            yield
        except (NoCredentialsError, PartialCredentialsError):
            raise InputError(
                "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
                "(boto3's usual places: environment, ~/.aws/credentials)"
            ) from None
        except NoRegionError:
            raise InputError("no S3 region: give --region or set AWS_DEFAULT_REGION") from None
        except (ParamValidationError, InvalidRegionError, InvalidDNSNameError) as exc:
            # Refused before any request (a bucket name or region no store takes): the settings' fault.
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            detail = lines[-1] if lines else type(exc).__name__
            if detail.startswith("Invalid bucket name"):
                detail = f"invalid bucket name {self.bucket!r} (letters, digits, dots, hyphens)"
            raise InputError(f"{where}: {detail if len(detail) <= 160 else detail[:159] + '…'}") from None
        except EndpointConnectionError as exc:
            raise RemoteError(f"{where}: cannot reach {getattr(exc, 'kwargs', {}).get('endpoint_url', 'S3')}") from None
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            message = str(error.get("Message", "")) or code
            if code in ("404", "NoSuchBucket"):
                raise RemoteError(f"{where}: no such bucket {self.bucket!r}{what}") from None
            if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
                raise RemoteError(
                    f"{where}: access denied{what}: {code} (check the credentials and the bucket's permissions)"
                ) from None
            raise RemoteError(f"{where}: {code}: {message}{what}") from None
        except S3UploadFailedError as exc:
            raise RemoteError(f"{where}: upload failed{what}: {str(exc)[:200]}") from None
        except BotoCoreError as exc:
            raise RemoteError(f"{where}: {type(exc).__name__}{what}: {str(exc)[:200]}") from None

    def connect(self) -> None:
        with self._errors("checking the bucket"):
            self.client.head_bucket(Bucket=self.bucket)

    def list_files(self) -> dict[str, int]:
        start = self._key("")
        found: dict[str, int] = {}
        with self._errors("listing"):
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
                for obj in page.get("Contents", ()):
                    name = obj["Key"][len(start) :]
                    if name and "/" not in name:
                        found[name] = int(obj["Size"])
        return found

    def read(self, name: str) -> bytes | None:
        from botocore.exceptions import ClientError

        with self._errors(f"reading {name}"):
            try:
                return self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"].read()
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                    return None
                raise

    def put(self, item: Item, sent: Callable[[int], None]) -> None:
        extra = {
            "ContentType": item.content_type,
            "CacheControl": item.cache_control,
            "Metadata": {"sha256": item.sha256},
        }
        if self.settings["acl"] and item.name != ".podcast-index.json":
            extra["ACL"] = self.settings["acl"]
        from boto3.s3.transfer import TransferConfig, create_transfer_manager
        from s3transfer.exceptions import CancelledError
        from s3transfer.subscribers import BaseSubscriber

        class Progress(BaseSubscriber):
            def on_progress(self, future, bytes_transferred, **kwargs):
                try:
                    sent(bytes_transferred)
                except Cancelled:
                    # Raised here it would abort one request and botocore would retry it; cancelling the
                    # transfer stops it (parts not started are not sent, a multipart upload is aborted).
                    future.cancel()

        with self._errors(f"sending {item.name}"), item.open() as fh:
            with create_transfer_manager(self.client, TransferConfig()) as manager:
                future = manager.upload(fh, self.bucket, self._key(item.name), extra, [Progress()])
                try:
                    future.result()
                except CancelledError:
                    raise Cancelled("interrupted") from None

    def delete(self, name: str) -> None:
        with self._errors(f"deleting {name}"):
            self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._mask is not None:
            for name in list(logging.Logger.manager.loggerDict):
                logging.getLogger(name).removeFilter(self._mask)
            self._mask = None


class _Mask(logging.Filter):
    """Replaces the given secret values by *** in a log record's text."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if any(secret in text for secret in self.secrets):
            for secret in self.secrets:
                text = text.replace(secret, "***")
            record.msg, record.args = text, ()
        return True
