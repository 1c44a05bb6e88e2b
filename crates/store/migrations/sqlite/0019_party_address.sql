-- A party's domicile or seat (住所), which a document to be served names beside the full
-- identifier: sealed like the identifier (AES-256-GCM, nonce ‖ ciphertext, hex); absent for
-- parties filed before it was asked for.
ALTER TABLE parties ADD COLUMN address_cipher TEXT;
